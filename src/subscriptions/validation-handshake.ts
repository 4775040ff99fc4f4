import { isTimeout, postTo, type PostAnswer } from './post-request.js';
import { invalidSubscription } from './subscription-error.js';

/**
 * Graph's endpoint validation: before a subscription exists, POST
 * `{notificationUrl}?validationToken={token}` and expect, within the timeout (Graph: 10 s), 200
 * with the decoded token echoed as `text/plain`. Anything else fails the create with the message
 * Graph gives (see https://learn.microsoft.com/graph/change-notifications-delivery-webhooks).
 */
export async function validateNotificationEndpoint(notificationUrl: string, token: string, timeoutMs: number): Promise<void> {
  const url = new URL(notificationUrl);
  url.searchParams.append('validationToken', token);
  let answer: PostAnswer;
  try {
    // The timeout covers the answer's body too: a receiver that stalls mid-answer times out.
    answer = await postTo(url, '', 'text/plain; charset=utf-8', AbortSignal.timeout(timeoutMs));
  } catch (e) {
    if (isTimeout(e)) throw invalidSubscription('Subscription validation request timed out.');
    throw invalidSubscription(
      `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request (${describeFailure(e)}).`,
    );
  }
  if (answer.status !== 200) {
    throw invalidSubscription(
      'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
    );
  }
  const type = answer.contentType.split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/plain') {
    throw invalidSubscription(`Subscription validation request failed. Response must be text/plain, not '${type || 'none'}'.`);
  }
  if (answer.body !== token)
    throw invalidSubscription('Subscription validation request failed. Response must exactly match validationToken query parameter.');
}

/** A readable token in Graph's style (it holds spaces and colons: receivers must decode the query). */
export const newValidationToken = (requestId: string): string =>
  `Validation: Testing client application reachability for subscription Request-Id: ${requestId}`;

/** The network error's code (ECONNREFUSED, a TLS failure …) without internals. */
export function describeFailure(e: unknown): string {
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  return err.code ?? err.cause?.code ?? err.message ?? 'request failed';
}
