import { activeRoleTemplateIds } from '../../identity/user-roles.js';
import { authorize } from '../../identity/policy/authorize.js';
import { OPERATION_KINDS } from '../../operations/kinds.js';
import { generatePassword } from '../../passwords/generator.js';
import { hashPassword } from '../../passwords/hashing.js';
import type { PasswordResetInput } from '../../passwords/password-reset-handler.js';
import { checkPasswordPolicy, describePolicyFailure } from '../../passwords/policy.js';
import { canResetPassword } from '../../passwords/reset-authorization.js';
import { newGuid } from '../../shared/ids.js';
import { accessDenied, badRequest } from '../errors.js';
import { POLL_AFTER_SECONDS } from '../resources/long-running-operation.js';
import type { GraphHandler } from '../route-table.js';
import type { GraphServices } from '../services.js';
import { resolveTargetUser } from '../target-user.js';
import { GRAPH_VERSIONS, sendOData, type GraphVersion } from '../wire.js';

/** The password method's well-known id: the only method resetPassword accepts. */
export const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';

/**
 * POST …/authentication/methods/{id}/resetPassword (and the older beta passwordMethods path):
 * checks everything that can be checked now, hashes the password (so the clear text never
 * reaches the database), queues the operation and answers 202 with its location.
 */
export function registerResetPasswordRoutes({ app, authenticator, notifyExecutor }: GraphServices): void {
  const { store, publicUrl, clock } = app.deps;

  const handler = (version: GraphVersion): GraphHandler => async (request, reply) => {
    const principal = await authenticator.authenticate(request);
    const { user } = await resolveTargetUser(store, principal, request);
    authorize(principal, 'authenticationMethods.resetPassword', { targetUserId: user.id });
    const { methodId } = request.params as { methodId: string };
    if (methodId.toLowerCase() !== PASSWORD_METHOD_ID) throw badRequest('The method is not supported for this URL.');
    if (user.id === principal.objectId) {
      throw accessDenied("A password can't be reset on the caller's own account with this API; use self-service password change.");
    }
    const now = clock.now();
    const targetRoles = activeRoleTemplateIds(user, await store.directory.roleAssignmentsOf(user.tenantId, user.id), now);
    const decision = canResetPassword([...principal.roleTemplateIds], targetRoles);
    if (!decision.allowed) throw accessDenied(`Insufficient privileges to complete the operation. ${decision.reason}`);

    const newPassword = readNewPassword(request.body);
    const password = newPassword ?? generatePassword({ user });
    const operationId = newGuid();
    const location = `${publicUrl}/${version}/users/${user.id}/authentication/operations/${operationId}`;
    const base = {
      tenantId: user.tenantId,
      userId: user.id,
      resourceLocation: `${publicUrl}/${version}/users/${user.id}/authentication/methods/${PASSWORD_METHOD_ID}`,
      initiatedBy: principal.objectId,
    };
    const verdict = checkPasswordPolicy(password, user);
    const input: PasswordResetInput = verdict.ok
      ? { ...base, passwordHash: await hashPassword(password) }
      : { ...base, policyViolation: describePolicyFailure(verdict.reasons) };
    await store.operations.insert(
      { id: operationId, tenantId: user.tenantId, kind: OPERATION_KINDS.passwordReset, targetId: user.id, input, maxAttempts: 5 },
      now,
    );
    notifyExecutor();
    reply.header('Location', location).header('Operation-Location', location).header('Retry-After', String(POLL_AFTER_SECONDS));
    if (newPassword !== undefined) return reply.code(202).send();
    return sendOData(
      reply,
      { '@odata.context': `${publicUrl}/${version}/$metadata#microsoft.graph.passwordResetResponse`, newPassword: password },
      202,
    );
  };

  for (const version of GRAPH_VERSIONS) {
    for (const prefix of [`/${version}/users/:userKey`, `/${version}/me`]) {
      app.routes.add(`${prefix}/authentication/methods/:methodId/resetPassword`, { POST: handler(version) });
      if (version === 'beta') app.routes.add(`${prefix}/authentication/passwordMethods/:methodId/resetPassword`, { POST: handler(version) });
    }
  }
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
