import type { FastifyRequest } from 'fastify';
import { authorize } from '../identity/policy/authorize.js';
import type { Principal } from '../identity/principal.js';
import type { Authenticator } from '../identity/token-verifier.js';

/**
 * Who may use the control API (docs/controls.md): a Longrun token (401 otherwise) carrying
 * `Longrun.Control.All` as an application permission, or as a delegated scope of a Global
 * Administrator (403 otherwise). Everything then acts within the token's tenant.
 */
export async function controlCaller(authenticator: Authenticator, request: FastifyRequest): Promise<Principal> {
  const principal = await authenticator.authenticate(request);
  authorize(principal, 'control.all');
  return principal;
}
