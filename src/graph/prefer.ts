/** Longest wait honoured; a longer `wait` is answered as `wait=60` (RFC 7240 lets the server choose). */
export const MAX_WAIT_SECONDS = 60;

/**
 * The `wait` preference of a `Prefer` header (RFC 7240 §4.3), in seconds, capped at
 * MAX_WAIT_SECONDS; undefined when absent or not a whole number of at least 1 (an unusable
 * preference is ignored, as RFC 7240 asks). Several preferences and several headers are allowed.
 */
export function preferredWaitSeconds(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const preferences = (Array.isArray(header) ? header.join(',') : header).split(',');
  for (const preference of preferences) {
    const [token = ''] = preference.split(';');
    const m = /^\s*wait\s*=\s*"?(\d{1,9})"?\s*$/i.exec(token);
    if (!m) continue;
    const seconds = Number(m[1]);
    return seconds >= 1 ? Math.min(seconds, MAX_WAIT_SECONDS) : undefined;
  }
  return undefined;
}
