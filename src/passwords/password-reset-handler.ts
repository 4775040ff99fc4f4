import { OPERATION_KINDS } from '../operations/kinds.js';
import { PermanentOperationError, type OperationHandler } from '../operations/handler.js';

/** What a queued password reset carries: a hash or the policy's verdict, never the clear password. */
export type PasswordResetInput =
  | { tenantId: string; userId: string; passwordHash: string; resourceLocation: string; initiatedBy: string }
  | { tenantId: string; userId: string; policyViolation: string; resourceLocation: string; initiatedBy: string };

/**
 * Runs a password reset: stores the new argon2id hash, marks the user to change it at next
 * sign-in, revokes their refresh tokens and writes an audit entry, all with the terminal status in one transaction. A
 * password the policy rejected (decided when the request was made, the only time the clear
 * text existed) ends `failed` and changes nothing.
 */
export const passwordResetHandler: OperationHandler = {
  kind: OPERATION_KINDS.passwordReset,
  maxAttempts: 5,
  async run({ operation, tenantTime }) {
    const input = operation.input as PasswordResetInput;
    if ('policyViolation' in input) {
      return { status: 'failed', statusDetail: input.policyViolation, errorCode: 'passwordPolicyViolation' };
    }
    // The tenant's time: what the client sees of the change (docs/controls.md). Read here, not
    // inside `apply`: a read outside the effect's transaction would wait on it (SQLite).
    const now = await tenantTime.now(input.tenantId);
    return {
      status: 'succeeded',
      resourceLocation: input.resourceLocation,
      apply: async (tx) => {
        const changed = await tx.directory.setPassword(input.tenantId, input.userId, input.passwordHash, true, now);
        if (!changed) throw new PermanentOperationError('userNotFound', 'The user no longer exists.');
        // A reset ends the user's sign-in sessions: refresh tokens issued before it are refused.
        await tx.signInSecurity.revokeSessions(input.tenantId, input.userId, now);
        await tx.audit.record(input.tenantId, {
          at: now,
          activity: 'Reset user password',
          targetId: input.userId,
          operationId: operation.id,
          initiatedBy: input.initiatedBy,
        });
      },
    };
  },
};
