/** Queues password resets the way a resetPassword request does, rule matching included, without HTTP. */
import { planOperation } from '../../../src/control/operation-plans.js';
import { OPERATION_KINDS } from '../../../src/operations/kinds.js';
import type { PasswordResetInput } from '../../../src/passwords/password-reset-handler.js';
import type { Store } from '../../../src/storage/store.js';
import { cheapHasher } from '../../support/tenant.js';

export async function addStoredRule(
  store: Store,
  tenantId: string,
  id: string,
  body: Record<string, unknown>,
  createdAt: number,
): Promise<void> {
  await store.controlRules.insert({ tenantId, id, type: 'operation', body: { type: 'operation', ...body }, timesLeft: null, createdAt });
}

/** Inserts `count` resets spread over `userIds` in one transaction each batch; returns their ids. */
export async function queuePlannedResets(
  store: Store,
  tenantId: string,
  userIds: string[],
  count: number,
  now: () => number,
  prefix = 'planned',
): Promise<string[]> {
  const passwordHash = await cheapHasher.hash('Planned-Reset-Passw0rd!');
  const ids: string[] = [];
  for (let start = 0; start < count; start += 250) {
    await store.transaction(async (tx) => {
      for (let i = start; i < Math.min(count, start + 250); i++) {
        const userId = userIds[i % userIds.length]!;
        const input: PasswordResetInput = {
          tenantId,
          userId,
          passwordHash,
          resourceLocation: 'http://longrun.test/x',
          initiatedBy: 'control-test',
        };
        const id = `${prefix}-${String(i).padStart(5, '0')}`;
        const control = await planOperation(tx, { tenantId, kind: OPERATION_KINDS.passwordReset, targets: [userId] });
        await tx.operations.insert(
          { id, tenantId, kind: OPERATION_KINDS.passwordReset, targetId: userId, input, maxAttempts: 5, control },
          now(),
        );
        ids.push(id);
      }
    });
  }
  return ids;
}

/** Counts the queued resets only: a node also runs its background alert scans (docs/alerts.md). */
export const countWhere = async (store: Store, where: string): Promise<number> =>
  Number(
    (await store.sql.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM operations WHERE kind = 'passwordReset' AND (${where})`))?.n ?? 0,
  );
