import { planOperation } from '../../control/operation-plans.js';
import type { FastifyReply } from 'fastify';
import { acceptOperation } from '../accepted.js';
import type { DirectoryUser } from '../../directory/model.js';
import { activeRoleTemplateIds } from '../../identity/user-roles.js';
import { authorize } from '../../identity/policy/authorize.js';
import { OPERATION_KINDS } from '../../operations/kinds.js';
import { generatePassword } from '../../passwords/generator.js';
import { hashPassword } from '../../passwords/hashing.js';
import type { PasswordResetInput } from '../../passwords/password-reset-handler.js';
import { checkPasswordPolicy, describePolicyFailure } from '../../passwords/policy.js';
import { canResetPassword } from '../../passwords/reset-authorization.js';
import {
  isSameReset,
  RESET_IDEMPOTENCY_WINDOW_MS,
  resetFingerprint,
  resetIdempotencyScope,
  type ResetRequestShape,
} from '../../passwords/reset-idempotency.js';
import { newGuid } from '../../shared/ids.js';
import type { IdempotencyKey, IdempotencyRecord } from '../../storage/idempotency-repository.js';
import { ERROR_CODES, GraphError, accessDenied, badRequest, segmentNotFound } from '../errors.js';
import { readRetryKey, REPEATABILITY_RESULT, type RetryKey } from '../repeatability.js';
import { PASSWORD_METHOD_ID } from '../resources/authentication-method.js';
import type { GraphHandler } from '../route-table.js';
import type { GraphServices } from '../services.js';
import { resolveTargetUser } from '../target-user.js';
import { GRAPH_VERSIONS, sendOData, type GraphVersion } from '../wire.js';

/** What an idempotency record replays: where the first request's operation is. */
interface ReplayResponse {
  location: string;
}

/**
 * POST …/authentication/methods/{id}/resetPassword (and the older beta passwordMethods path):
 * checks everything that can be checked now, hashes the password (so the clear text never
 * reaches the database), queues the operation and answers 202 with its location.
 *
 * A retry (same `Repeatability-Request-ID`, or else same `client-request-id`, from the same
 * caller for the same user within RESET_IDEMPOTENCY_WINDOW_MS) gets the first request's
 * operation back instead of a second reset; see docs/passwords.md, "Retries and idempotency".
 */
export function registerResetPasswordRoutes({ app, authenticator, notifyExecutor }: GraphServices): void {
  const { store, publicUrl, clock } = app.deps;

  const handler = (version: GraphVersion): GraphHandler => async (request, reply) => {
    // Per the national-cloud tables: China has resetPassword on beta only.
    if (!app.deps.config.cloud.features.has(version === 'v1.0' ? 'resetPassword.v1' : 'resetPassword.beta')) {
      throw segmentNotFound('resetPassword');
    }
    const principal = await authenticator.authenticate(request);
    const { user } = await resolveTargetUser(store, principal, request.params as { userKey?: string });
    authorize(principal, 'authenticationMethods.resetPassword', { targetUserId: user.id });
    const { methodId } = request.params as { methodId: string };
    if (methodId.toLowerCase() !== PASSWORD_METHOD_ID) throw badRequest('The method is not supported for this URL.');
    if (user.id === principal.objectId) {
      throw accessDenied("A password can't be reset on the caller's own account with this API; use self-service password change.");
    }
    const targetRoles = activeRoleTemplateIds(user, await store.directory.roleAssignmentsOf(user.tenantId, user.id), clock.now());
    const decision = canResetPassword([...principal.roleTemplateIds], targetRoles);
    if (!decision.allowed) throw accessDenied(`Insufficient privileges to complete the operation. ${decision.reason}`);

    const newPassword = readNewPassword(request.body);
    const shape: ResetRequestShape = { targetUserId: user.id, methodId: PASSWORD_METHOD_ID, passwordGiven: newPassword !== undefined };
    const retryKey = readRetryKey(request.headers, clock.now(), RESET_IDEMPOTENCY_WINDOW_MS);
    const retry: { header: RetryKey; key: IdempotencyKey } | undefined = retryKey && {
      header: retryKey,
      key: { tenantId: user.tenantId, scope: resetIdempotencyScope(principal.objectId, user.id), key: retryKey.key },
    };
    // Fast path for a retry: no password generated or hashed for nothing.
    if (retry) {
      const earlier = await store.idempotency.find(retry.key, clock.now());
      if (earlier) return replay(reply, earlier, retry.header, shape, newPassword);
    }

    const password = newPassword ?? generatePassword({ user });
    const prepared = await prepareReset(user, password, principal.objectId, version);
    // The retry key is compared through a salted argon2id digest, never a fast hash: reuse the
    // hash the reset applies, or make one only when a policy-rejected password needs comparing.
    const secretDigest = newPassword === undefined ? null : (prepared.passwordHash ?? (retry ? await hashPassword(newPassword) : null));
    const operationId = newGuid();
    const location = `${publicUrl}/${version}/users/${user.id}/authentication/operations/${operationId}`;

    const earlier = await store.transaction(async (tx) => {
      const now = clock.now();
      if (retry) {
        // Claimed in the same transaction as the insert: a concurrent identical request either
        // sees this key (and replays) or claims it first (and this one replays).
        const response: ReplayResponse = { location };
        const claim = await tx.idempotency.claim(
          { ...retry.key, fingerprint: resetFingerprint(shape), secretDigest, operationId, response, createdAt: now, expiresAt: now + RESET_IDEMPOTENCY_WINDOW_MS },
          now,
        );
        if (!claim.claimed) return claim.existing;
      }
      const control = await planOperation(tx, { tenantId: user.tenantId, kind: OPERATION_KINDS.passwordReset, targets: [user.id, user.userPrincipalName] });
      await tx.operations.insert(
        { id: operationId, tenantId: user.tenantId, kind: OPERATION_KINDS.passwordReset, targetId: user.id, input: prepared.input, maxAttempts: 5, control },
        now,
      );
      return undefined;
    });
    if (earlier && retry) return replay(reply, earlier, retry.header, shape, newPassword);

    notifyExecutor();
    sendAccepted(reply, location, retryKey);
    // `{}` rather than no body: the Kiota SDKs parse every 202 and throw on an empty one
    // ("no response content type found"); older Graph examples show this `{}` (docs/compatibility.md).
    if (newPassword !== undefined) return sendOData(reply, {}, 202);
    return sendOData(
      reply,
      { '@odata.context': `${publicUrl}/${version}/$metadata#microsoft.graph.passwordResetResponse`, newPassword: password },
      202,
    );
  };

  /** The operation's input: the argon2id hash of an acceptable password, or the policy's verdict. */
  async function prepareReset(user: DirectoryUser, password: string, initiatedBy: string, version: GraphVersion) {
    const base = {
      tenantId: user.tenantId,
      userId: user.id,
      resourceLocation: `${publicUrl}/${version}/users/${user.id}/authentication/methods/${PASSWORD_METHOD_ID}`,
      initiatedBy,
    };
    const verdict = checkPasswordPolicy(password, user);
    if (!verdict.ok) {
      const input: PasswordResetInput = { ...base, policyViolation: describePolicyFailure(verdict.reasons) };
      return { input, passwordHash: undefined };
    }
    const passwordHash = await hashPassword(password);
    const input: PasswordResetInput = { ...base, passwordHash };
    return { input, passwordHash };
  }

  for (const version of GRAPH_VERSIONS) {
    for (const prefix of [`/${version}/users/:userKey`, `/${version}/me`]) {
      app.routes.add(`${prefix}/authentication/methods/:methodId/resetPassword`, { POST: handler(version) });
      if (version === 'beta') app.routes.add(`${prefix}/authentication/passwordMethods/:methodId/resetPassword`, { POST: handler(version) });
    }
  }
}

function sendAccepted(reply: FastifyReply, location: string, retryKey: RetryKey | undefined): void {
  acceptOperation(reply, location);
  if (retryKey?.source === 'repeatability') reply.header(REPEATABILITY_RESULT, 'accepted');
}

/**
 * Answers a retry with the first request's operation: 202, same Location, no body. A generated
 * password is not shown again: it was never stored, so it cannot be (the first 202 was the only
 * copy). A request that reuses the key for something else is refused with 400, as Azure's
 * guidelines and ACS do for a non-matching duplicate.
 */
async function replay(
  reply: FastifyReply,
  earlier: IdempotencyRecord,
  retryKey: RetryKey,
  shape: ResetRequestShape,
  givenPassword: string | undefined,
): Promise<FastifyReply> {
  const header = retryKey.source === 'repeatability' ? 'Repeatability-Request-ID' : 'client-request-id';
  if (!(await isSameReset(earlier, shape, givenPassword))) {
    throw new GraphError(
      400,
      ERROR_CODES.badRequest,
      `The ${header} '${retryKey.value}' was already used in the last ${RESET_IDEMPOTENCY_WINDOW_MS / 60_000} minutes ` +
        'for a different resetPassword request on this user; send a new request with a new id.',
      retryKey.source === 'repeatability' ? { [REPEATABILITY_RESULT]: 'rejected' } : {},
    );
  }
  sendAccepted(reply, (earlier.response as ReplayResponse).location, retryKey);
  return sendOData(reply, {}, 202);
}

/** `{}` or `{"newPassword": "…"}`; anything else is the client's mistake. */
function readNewPassword(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object.');
  for (const key of Object.keys(body)) {
    if (key !== 'newPassword') throw badRequest(`The property '${key}' does not exist on type 'microsoft.graph.resetPassword'.`);
  }
  const value = (body as { newPassword?: unknown }).newPassword;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest("The property 'newPassword' must be a string.");
  return value;
}
