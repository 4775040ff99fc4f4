/**
 * Built-in Microsoft Entra role templates that Longrun knows by name, with their real template
 * ids (Entra permissions reference, ms.date 05/26/2025).
 *
 * `privileged` follows Microsoft's PRIVILEGED label in that reference. It decides which
 * assignments the PIM alerts look at (docs/alerts.md, "Which roles count as privileged").
 */
export interface RoleTemplate {
  id: string;
  displayName: string;
  privileged: boolean;
}

export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  securityOperator: '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  passwordAdministrator: '966707d0-3269-4727-9be2-8c3a10f19b9d',
  authenticationPolicyAdministrator: '0526716b-113d-4c15-b2c8-68e3c22b9f80',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  groupsAdministrator: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  guestInviter: '95e79109-95c0-4d8e-aee3-d01accf2d47b',
  messageCenterReader: '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b',
  reportsReader: '4a5d8f65-41da-4de4-8968-e035b65339cf',
  usageSummaryReportsReader: '75934031-6c7e-415a-99d7-48dbd49e875e',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  conditionalAccessAdministrator: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  sharePointAdministrator: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
  intuneAdministrator: '3a2c62db-5318-420d-8d74-23affee5d9d5',
  hybridIdentityAdministrator: '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2',
} as const;

/** The default "User" role: present in `wids` of every ordinary member, never assignable. */
export const DEFAULT_USER_ROLE_TEMPLATE_ID = 'b79fbf4d-3ef9-4689-8143-76b194e85509';

const TEMPLATES: RoleTemplate[] = [
  { id: ROLE.globalAdministrator, displayName: 'Global Administrator', privileged: true },
  { id: ROLE.globalReader, displayName: 'Global Reader', privileged: true },
  { id: ROLE.privilegedRoleAdministrator, displayName: 'Privileged Role Administrator', privileged: true },
  { id: ROLE.securityAdministrator, displayName: 'Security Administrator', privileged: true },
  { id: ROLE.securityReader, displayName: 'Security Reader', privileged: true },
  { id: ROLE.securityOperator, displayName: 'Security Operator', privileged: true },
  { id: ROLE.authenticationAdministrator, displayName: 'Authentication Administrator', privileged: true },
  {
    id: ROLE.privilegedAuthenticationAdministrator,
    displayName: 'Privileged Authentication Administrator',
    privileged: true,
  },
  { id: ROLE.userAdministrator, displayName: 'User Administrator', privileged: true },
  { id: ROLE.helpdeskAdministrator, displayName: 'Helpdesk Administrator', privileged: true },
  { id: ROLE.passwordAdministrator, displayName: 'Password Administrator', privileged: true },
  {
    id: ROLE.authenticationPolicyAdministrator,
    displayName: 'Authentication Policy Administrator',
    privileged: false,
  },
  { id: ROLE.directoryReaders, displayName: 'Directory Readers', privileged: false },
  { id: ROLE.groupsAdministrator, displayName: 'Groups Administrator', privileged: false },
  { id: ROLE.guestInviter, displayName: 'Guest Inviter', privileged: false },
  { id: ROLE.messageCenterReader, displayName: 'Message Center Reader', privileged: false },
  { id: ROLE.reportsReader, displayName: 'Reports Reader', privileged: false },
  { id: ROLE.usageSummaryReportsReader, displayName: 'Usage Summary Reports Reader', privileged: false },
  { id: ROLE.applicationAdministrator, displayName: 'Application Administrator', privileged: true },
  { id: ROLE.cloudApplicationAdministrator, displayName: 'Cloud Application Administrator', privileged: true },
  { id: ROLE.conditionalAccessAdministrator, displayName: 'Conditional Access Administrator', privileged: true },
  { id: ROLE.exchangeAdministrator, displayName: 'Exchange Administrator', privileged: false },
  { id: ROLE.sharePointAdministrator, displayName: 'SharePoint Administrator', privileged: false },
  { id: ROLE.intuneAdministrator, displayName: 'Intune Administrator', privileged: true },
  { id: ROLE.hybridIdentityAdministrator, displayName: 'Hybrid Identity Administrator', privileged: true },
];

const BY_ID = new Map(TEMPLATES.map((t) => [t.id, t]));

/** Every built-in role template (the tenant builder finds roles by display name). */
export function roleTemplates(): readonly RoleTemplate[] {
  return TEMPLATES;
}

export function findRoleTemplate(id: string): RoleTemplate | undefined {
  return BY_ID.get(id);
}

export function isPrivilegedRole(id: string): boolean {
  return BY_ID.get(id)?.privileged ?? false;
}

/** The template ids of the privileged roles: the only ones whose assignments an alert lists. */
export const PRIVILEGED_ROLE_TEMPLATE_IDS: readonly string[] = TEMPLATES.filter((t) => t.privileged).map((t) => t.id);
