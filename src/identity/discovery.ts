import type { Cloud, CloudName } from '../config/clouds.js';

/** Entra's `cloud_instance_name` per national cloud (https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud). */
const CLOUD_INSTANCE_NAME: Record<CloudName, string> = {
  global: 'microsoftonline.com',
  usgovl4: 'microsoftonline.us',
  usgovl5: 'microsoftonline.us',
  china: 'partner.microsoftonline.cn',
};

/** `tenant_region_scope` per national cloud (what Entra reports for a tenant there). */
const TENANT_REGION_SCOPE: Record<CloudName, string> = {
  global: 'WW',
  usgovl4: 'USGov',
  usgovl5: 'USGov',
  china: 'CN',
};

/**
 * The (Azure AD Graph) host Entra names in `cloud_graph_host_name`: `graph.windows.net` in the
 * recorded global documents; the national ones are that cloud's Azure AD Graph host.
 */
const CLOUD_GRAPH_HOST_NAME: Record<CloudName, string> = {
  global: 'graph.windows.net',
  usgovl4: 'graph.microsoftazure.us',
  usgovl5: 'graph.microsoftazure.us',
  china: 'graph.chinacloudapi.cn',
};

/** `rbac_url`: `https://pas.windows.net` in the recorded global documents. */
const RBAC_URL: Record<CloudName, string> = {
  global: 'https://pas.windows.net',
  usgovl4: 'https://pasff.usgovcloudapi.net',
  usgovl5: 'https://pasff.usgovcloudapi.net',
  china: 'https://pas.chinacloudapi.cn',
};

const CLAIMS_SUPPORTED = [
  'sub',
  'iss',
  'cloud_instance_name',
  'cloud_instance_host_name',
  'cloud_graph_host_name',
  'msgraph_host',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'acr',
  'nonce',
  'preferred_username',
  'name',
  'tid',
  'ver',
  'at_hash',
  'c_hash',
  'email',
];

interface DiscoveryInput {
  publicUrl: string;
  /** A tenant id, or `common` / `organizations` (then the issuer holds Entra's `{tenantid}` placeholder). */
  tenantId: string;
  cloud: Cloud;
}

const isMultiTenant = (tenantId: string): boolean => tenantId === 'common' || tenantId === 'organizations';

/** The closing fields, in Entra's order; a tenant-less authority has no region (`null`, as Entra's `common` document). */
function cloudFields(input: DiscoveryInput) {
  const { cloud } = input;
  return {
    tenant_region_scope: isMultiTenant(input.tenantId) ? null : TENANT_REGION_SCOPE[cloud.name],
    cloud_instance_name: CLOUD_INSTANCE_NAME[cloud.name],
    cloud_graph_host_name: CLOUD_GRAPH_HOST_NAME[cloud.name],
    msgraph_host: new URL(cloud.graphRoot).host,
    rbac_url: RBAC_URL[cloud.name],
  };
}

/**
 * The v2.0 OpenID configuration of a tenant: Entra's fields in Entra's order, as recorded from
 * `login.microsoftonline.com/{tid}/v2.0/.well-known/openid-configuration` (Azure SDK test
 * recordings; docs/authentication.md, "Discovery"). MSAL and @azure/identity read the issuer,
 * the authorization and token endpoints and jwks_uri. Only the token endpoint, the device-code
 * endpoint, the authorize page and the JWKS are served; the others are advertised as Entra does.
 * Entra lists no `grant_types_supported`, so neither does Longrun.
 */
export function openIdConfigurationV2(input: DiscoveryInput): Record<string, unknown> {
  const base = `${input.publicUrl}/${input.tenantId}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: isMultiTenant(input.tenantId) ? `${input.publicUrl}/{tenantid}/v2.0` : `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${input.cloud.graphRoot}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: CLAIMS_SUPPORTED,
    kerberos_endpoint: `${base}/kerberos`,
    ...cloudFields(input),
  };
}

/**
 * The v1.0 OpenID configuration: issuer `{publicUrl}/{tid}/`, which is the `iss` of the access
 * tokens Longrun issues (v1.0 tokens, as Graph's are), so validators configured from this
 * document accept them. Its token endpoint is the v2.0 one (the only one served).
 */
export function openIdConfigurationV1(input: DiscoveryInput): Record<string, unknown> {
  const base = `${input.publicUrl}/${input.tenantId}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid'],
    issuer: `${base}/`,
    microsoft_multi_refresh_token: true,
    authorization_endpoint: `${base}/oauth2/authorize`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/logout`,
    claims_supported: CLAIMS_SUPPORTED,
    kerberos_endpoint: `${base}/kerberos`,
    ...cloudFields(input),
  };
}

/**
 * MSAL's instance-discovery answer (`GET /common/discovery/instance`) naming this authority's
 * host as its own cloud: usable as MSAL's `cloudDiscoveryMetadata` (docs/authentication.md).
 */
export function instanceDiscovery(publicUrl: string, authorizationEndpoint: string | undefined): Record<string, unknown> {
  const host = new URL(publicUrl).host;
  const tenant = tenantOfAuthorizeEndpoint(publicUrl, authorizationEndpoint) ?? 'common';
  return {
    tenant_discovery_endpoint: `${publicUrl}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}

function tenantOfAuthorizeEndpoint(publicUrl: string, endpoint: string | undefined): string | undefined {
  if (!endpoint?.startsWith(`${publicUrl}/`)) return undefined;
  const segment = endpoint.slice(publicUrl.length + 1).split('/')[0];
  return segment && /^[A-Za-z0-9.-]+$/.test(segment) ? segment : undefined;
}
