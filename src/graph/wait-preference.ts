import type { FastifyReply, FastifyRequest } from 'fastify';
import { callerKey, type Principal } from '../identity/principal.js';
import { isTerminal } from '../operations/model.js';
import type { OperationWaiter } from '../operations/operation-waiter.js';
import type { ShownOperation } from '../storage/operation-rows.js';
import type { Store } from '../storage/store.js';
import { preferredWaitSeconds } from './prefer.js';

/**
 * Extension `wait` (docs/extensions.md) for GET of one operation: with `Prefer: wait=N`, a
 * non-terminal operation is answered when it ends or after N seconds, with
 * `Preference-Applied: wait=N`. Without the extension (`waiter` undefined) the preference is
 * ignored, as Graph ignores it; a caller over its share of waiting requests is answered at once,
 * without the header. Returns the operation to answer with (read again after a wait).
 */
export async function afterPreferredWait(
  waiter: OperationWaiter | undefined,
  store: Store,
  request: FastifyRequest,
  reply: FastifyReply,
  principal: Principal,
  op: ShownOperation,
): Promise<ShownOperation> {
  const seconds = waiter && preferredWaitSeconds(request.headers.prefer);
  if (!waiter || seconds === undefined) return op;
  if (!isTerminal(op.status)) {
    // The client going away ends the wait (ServerResponse 'close' before an answer was sent).
    const gone = new AbortController();
    const onClose = () => gone.abort();
    reply.raw.once('close', onClose);
    const outcome = await waiter
      .wait(op.id, callerKey(principal), seconds * 1000, gone.signal)
      .finally(() => reply.raw.off('close', onClose));
    if (outcome === 'refused') return op;
    op = (await store.operationReads.getShown(op.id)) ?? op;
  }
  reply.header('Preference-Applied', `wait=${seconds}`);
  return op;
}
