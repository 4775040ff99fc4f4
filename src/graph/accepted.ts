import type { FastifyReply } from 'fastify';
import type { Extensions } from '../extensions.js';
import { POLL_AFTER_SECONDS } from './resources/long-running-operation.js';

/**
 * The one convention for starting an operation, whatever its kind: 202 Accepted with `Location`
 * (the absolute operation URL) and `Retry-After` in seconds, as Graph sends them. With the
 * `azure-lro` extension `Operation-Location` (what @azure/core-lro prefers) carries the same URL;
 * Graph never sends it (docs/extensions.md). The caller sends the body.
 */
export function acceptOperation(reply: FastifyReply, operationUrl: string, extensions: Pick<Extensions, 'azureLro'>): FastifyReply {
  reply.code(202).header('Location', operationUrl);
  if (extensions.azureLro) reply.header('Operation-Location', operationUrl);
  return reply.header('Retry-After', String(POLL_AFTER_SECONDS));
}
