import type { DirectoryUser } from '../../directory/model.js';
import { toGraphTimestamp } from '../../shared/timestamps.js';

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
    createdDateTime: toGraphTimestamp(u.createdAt).replace(/\.\d+Z$/, 'Z'),
    userType: u.accountType === 'guest' ? 'Guest' : 'Member',
  };
  const keys = select ?? USER_DEFAULT_PROPERTIES;
  return Object.fromEntries(keys.map((k) => [k, all[k]]));
}
