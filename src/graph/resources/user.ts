import type { DirectoryUser } from '../../directory/model.js';
import { toDirectoryTimestamp } from '../../shared/timestamps.js';
import { SELECT_ALL } from '../odata/select.js';

/** What GET /users/{id} returns without $select (Graph's default user properties). */
export const USER_DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

/** Also selectable with $select. */
export const USER_PROPERTIES = [...USER_DEFAULT_PROPERTIES, 'accountEnabled', 'createdDateTime', 'userType'] as const;

export function toWireUser(u: DirectoryUser, select: string[] | undefined): Record<string, unknown> {
  const [givenName, ...rest] = u.displayName.split(' ');
  const all: Record<string, unknown> = {
    businessPhones: [],
    displayName: u.displayName,
    givenName: givenName ?? null,
    jobTitle: null,
    mail: u.accountType === 'member' ? u.userPrincipalName : null,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: rest.length > 0 ? rest.join(' ') : null,
    userPrincipalName: u.userPrincipalName,
    id: u.id,
    accountEnabled: u.accountEnabled,
    createdDateTime: toDirectoryTimestamp(u.createdAt),
    userType: u.accountType === 'guest' ? 'Guest' : 'Member',
  };
  // `$select=*` is every property, not only the default ones.
  const keys = select === undefined ? USER_DEFAULT_PROPERTIES : select.includes(SELECT_ALL) ? USER_PROPERTIES : select;
  return Object.fromEntries(keys.map((k) => [k, all[k]]));
}
