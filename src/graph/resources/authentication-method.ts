/**
 * authenticationMethod resources on the wire (https://learn.microsoft.com/graph/api/resources/passwordauthenticationmethod). Longrun's users have one
 * method, the password; others (phone, FIDO2, …) are not modelled.
 */

import type { DirectoryUser } from '../../directory/model.js';
import { PASSWORD_METHOD_ID } from '../../passwords/password-method.js';
import { toDirectoryTimestamp } from '../../shared/timestamps.js';

/** The password method's well-known id: the same for every user. */
export { PASSWORD_METHOD_ID };

export const PASSWORD_METHOD_TYPE = 'microsoft.graph.passwordAuthenticationMethod';
/** In the order Graph writes them (the authentication-methods tutorial's response). */
export const PASSWORD_METHOD_PROPERTIES = ['id', 'password', 'createdDateTime'] as const;

/** The base type of the polymorphic `methods` collection. */
export const AUTHENTICATION_METHOD_TYPE = 'microsoft.graph.authenticationMethod';
export const AUTHENTICATION_METHOD_PROPERTIES = ['id', 'createdDateTime'] as const;

/**
 * A user's password method, as Graph's tutorial shows a real one
 * (https://learn.microsoft.com/graph/authenticationmethods-get-started): `@odata.type`, `id`,
 * `password` (always null: Graph never returns it), then `createdDateTime` in seconds with `Z`.
 * The resource page still says "currently not populated"; the tutorial's recorded response has a
 * value, and Longrun follows the response (docs/passwords.md). The method was registered
 * when the account was made, so it is the user's creation time; a reset does not move it.
 */
export function toWirePasswordMethod(user: Pick<DirectoryUser, 'createdAt'>): Record<string, unknown> {
  return {
    '@odata.type': `#${PASSWORD_METHOD_TYPE}`,
    id: PASSWORD_METHOD_ID,
    password: null,
    createdDateTime: toDirectoryTimestamp(user.createdAt),
  };
}
