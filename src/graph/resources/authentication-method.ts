/**
 * authenticationMethod resources on the wire (graph-facts §3.4). Longrun's users have one
 * method, the password; others (phone, FIDO2, …) are not modelled.
 */

import { PASSWORD_METHOD_ID } from '../../passwords/password-method.js';

/** The password method's well-known id: the same for every user. */
export { PASSWORD_METHOD_ID };

export const PASSWORD_METHOD_TYPE = 'microsoft.graph.passwordAuthenticationMethod';
export const PASSWORD_METHOD_PROPERTIES = ['id', 'createdDateTime', 'password'] as const;

/** The base type of the polymorphic `methods` collection: only `id` is common to every method. */
export const AUTHENTICATION_METHOD_TYPE = 'microsoft.graph.authenticationMethod';
export const AUTHENTICATION_METHOD_PROPERTIES = ['id'] as const;

/**
 * A user's password method. `password` is always null (Graph never returns it). `createdDateTime`
 * is null too: Graph documents it as "currently not populated", and a client written against
 * Graph must already cope with null, so Longrun does not invent a value (docs/passwords.md).
 */
export function toWirePasswordMethod(): Record<string, unknown> {
  return {
    '@odata.type': `#${PASSWORD_METHOD_TYPE}`,
    id: PASSWORD_METHOD_ID,
    createdDateTime: null,
    password: null,
  };
}
