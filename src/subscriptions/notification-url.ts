import { invalidSubscription } from './subscription-error.js';

/**
 * `notificationUrl` must be https, as Graph requires; plain http is allowed only to a loopback
 * host (127.0.0.0/8, localhost, [::1]) so local receivers work without certificates.
 */
export function checkNotificationUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidSubscription(`NotificationUrl '${text}' is not an absolute URL.`);
  }
  if (url.username || url.password) throw invalidSubscription('NotificationUrl must not carry user credentials.');
  if (url.hash) throw invalidSubscription('NotificationUrl must not have a fragment.');
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme === 'https') return url;
  if (scheme === 'http' && isLoopbackHost(url.hostname)) return url;
  if (scheme === 'http') {
    throw invalidSubscription(
      `NotificationUrl scheme='http' is not supported; use https (plain http is accepted only for a loopback host).`,
    );
  }
  throw invalidSubscription(`NotificationUrl scheme='${scheme}' is not supported.`);
}

/** 127.0.0.0/8, localhost (and *.localhost) and ::1, as URL.hostname writes them. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}
