/**
 * Starting a password reset, whatever the wire (Graph's resetPassword, the control API, tests):
 * decides whether the caller may reset this user's password, generates or takes the password,
 * hashes it (the clear text never reaches the database), and queues the operation, or replays
 * the first request of a retry. See docs/passwords.md.
 */
import type { DirectoryUser } from '../directory/model.js';
import { planOperation } from '../control/operation-plans.js';
import { OPERATION_KINDS } from '../operations/kinds.js';
import type { Clock } from '../shared/clock.js';
import { newGuid } from '../shared/ids.js';
import { Refusal } from '../shared/refusal.js';
import type { IdempotencyRecord } from '../storage/idempotency-repository.js';
import type { Store } from '../storage/store.js';
import { generatePassword } from './generator.js';
import { hashPassword } from './hashing.js';
import type { PasswordResetInput } from './password-reset-handler.js';
import { PASSWORD_METHOD_ID } from './password-method.js';
import { checkPasswordPolicy, describePolicyFailure } from './policy.js';
import { canResetPassword, resetProtectedRoleTemplateIds } from './reset-authorization.js';
import {
  isSameReset,
  RESET_IDEMPOTENCY_WINDOW_MS,
  resetFingerprint,
  resetIdempotencyScope,
  type ResetRequestShape,
} from './reset-idempotency.js';

export interface PasswordResetDeps {
  store: Store;
  clock: Clock;
}

export interface PasswordResetRequest {
  /** The caller, from their verified token: object id and active directory roles. */
  caller: { tenantId: string; objectId: string; roleTemplateIds: Iterable<string> };
  /** The user whose password is reset (resolved within the caller's tenant). */
  target: DirectoryUser;
  /** The password the caller chose; undefined: the service generates one. */
  newPassword: string | undefined;
  /** The client's retry key (opaque, already validated), when it sent one. */
  retryKey: string | undefined;
  /** The URL an operation will be polled at, given its id (the wire knows its URLs). */
  operationUrl: (operationId: string) => string;
  /** The password method's URL: the operation's resourceLocation. */
  resourceLocation: string;
}

export type PasswordResetStart =
  /** A new operation: `generatedPassword` is shown once, to this caller only, when none was given. */
  | { outcome: 'queued'; operationId: string; location: string; generatedPassword: string | undefined }
  /** A retry of an earlier request: its operation, no password. */
  | { outcome: 'replayed'; location: string }
  /** The retry key was used for a different reset in the window: refused. */
  | { outcome: 'keyReused' };

/** What an idempotency record replays: where the first request's operation is. */
interface ReplayResponse {
  location: string;
}

/**
 * Throws `Refusal('forbidden')` for the caller's own account and for a target whose roles the
 * caller's roles may not reset; anything else about the password is decided by the operation
 * (a policy failure fails the operation, as Graph does).
 */
export async function startPasswordReset(deps: PasswordResetDeps, request: PasswordResetRequest): Promise<PasswordResetStart> {
  const { store, clock } = deps;
  const { caller, target: user, newPassword } = request;
  if (user.id === caller.objectId) {
    throw new Refusal(
      'forbidden',
      "A password can't be reset on the caller's own account with this API; use self-service password change.",
    );
  }
  // Eligible and administrative-unit-scoped roles protect the target as if held (docs/passwords.md).
  const targetRoles = resetProtectedRoleTemplateIds(user.id, await store.directory.roleAssignmentsOf(user.tenantId, user.id), clock.now());
  const decision = canResetPassword([...caller.roleTemplateIds], targetRoles);
  if (!decision.allowed) throw new Refusal('forbidden', `Insufficient privileges to complete the operation. ${decision.reason}`);

  const shape: ResetRequestShape = { targetUserId: user.id, methodId: PASSWORD_METHOD_ID, passwordGiven: newPassword !== undefined };
  const key =
    request.retryKey === undefined
      ? undefined
      : { tenantId: user.tenantId, scope: resetIdempotencyScope(caller.objectId, user.id), key: request.retryKey };
  const replay = async (earlier: IdempotencyRecord): Promise<PasswordResetStart> =>
    (await isSameReset(earlier, shape, newPassword))
      ? { outcome: 'replayed', location: (earlier.response as ReplayResponse).location }
      : { outcome: 'keyReused' };

  // Fast path for a retry: no password generated or hashed for nothing.
  if (key) {
    const earlier = await store.idempotency.find(key, clock.now());
    if (earlier) return replay(earlier);
  }

  const password = newPassword ?? generatePassword({ user });
  const prepared = await prepareReset(user, password, caller.objectId, request.resourceLocation);
  // The retry key is compared through a salted argon2id digest, never a fast hash: reuse the
  // hash the reset applies, or make one only when a policy-rejected password needs comparing.
  const secretDigest = newPassword === undefined ? null : (prepared.passwordHash ?? (key ? await hashPassword(newPassword) : null));
  const operationId = newGuid();
  const location = request.operationUrl(operationId);

  const earlier = await store.transaction(async (tx) => {
    const now = clock.now();
    if (key) {
      // Claimed in the same transaction as the insert: a concurrent identical request either
      // sees this key (and replays) or claims it first (and this one replays).
      const response: ReplayResponse = { location };
      const claim = await tx.idempotency.claim(
        {
          ...key,
          fingerprint: resetFingerprint(shape),
          secretDigest,
          operationId,
          response,
          createdAt: now,
          expiresAt: now + RESET_IDEMPOTENCY_WINDOW_MS,
        },
        now,
      );
      if (!claim.claimed) return claim.existing;
    }
    // A control rule may shape the operation (docs/controls.md); its hit is taken in this transaction.
    const control = await planOperation(tx, {
      tenantId: user.tenantId,
      kind: OPERATION_KINDS.passwordReset,
      targets: [user.id, user.userPrincipalName],
    });
    await tx.operations.insert(
      {
        id: operationId,
        tenantId: user.tenantId,
        kind: OPERATION_KINDS.passwordReset,
        targetId: user.id,
        input: prepared.input,
        maxAttempts: 5,
        control,
      },
      now,
    );
    return undefined;
  });
  if (earlier) return replay(earlier);
  return { outcome: 'queued', operationId, location, generatedPassword: newPassword === undefined ? password : undefined };
}

/** The operation's input: the argon2id hash of an acceptable password, or the policy's verdict. */
async function prepareReset(user: DirectoryUser, password: string, initiatedBy: string, resourceLocation: string) {
  const base = { tenantId: user.tenantId, userId: user.id, resourceLocation, initiatedBy };
  const verdict = checkPasswordPolicy(password, user);
  if (!verdict.ok) {
    const input: PasswordResetInput = { ...base, policyViolation: describePolicyFailure(verdict.reasons) };
    return { input, passwordHash: undefined };
  }
  const passwordHash = await hashPassword(password);
  const input: PasswordResetInput = { ...base, passwordHash };
  return { input, passwordHash };
}
