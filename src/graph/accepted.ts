import type { FastifyReply } from 'fastify';
import { POLL_AFTER_SECONDS } from './resources/long-running-operation.js';

/**
 * The one convention for starting an operation, whatever its kind: 202 Accepted with `Location`
 * (what Graph sends) and `Operation-Location` (what @azure/core-lro prefers) holding the same
 * absolute operation URL, and `Retry-After` in seconds. The caller sends the body.
 */
export function acceptOperation(reply: FastifyReply, operationUrl: string): FastifyReply {
  return reply
    .code(202)
    .header('Location', operationUrl)
    .header('Operation-Location', operationUrl)
    .header('Retry-After', String(POLL_AFTER_SECONDS));
}
