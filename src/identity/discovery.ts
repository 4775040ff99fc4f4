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

export const SUPPORTED_GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'password',
  'urn:ietf:params:oauth:grant-type:device_code',
] as const;

interface DiscoveryInput {
  publicUrl: string;
  /** A tenant id, or `common` / `organizations` (then the issuer holds Entra's `{tenantid}` placeholder). */
  tenantId: string;
  cloud: Cloud;
}

function common(input: DiscoveryInput) {
  const { cloud } = input;
  const graphHost = new URL(cloud.graphRoot).host;
  return {
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    grant_types_supported: [...SUPPORTED_GRANT_TYPES],
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${cloud.graphRoot}/oidc/userinfo`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    claims_supported: [
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
    ],
    tenant_region_scope: TENANT_REGION_SCOPE[cloud.name],
    cloud_instance_name: CLOUD_INSTANCE_NAME[cloud.name],
    cloud_graph_host_name: graphHost,
    msgraph_host: graphHost,
  };
}

/**
 * The v2.0 OpenID configuration of a tenant, shaped like Entra's (the fields MSAL and
 * @azure/identity read: issuer, authorization/token endpoints, jwks_uri). Only the token
 * endpoint and the JWKS are served; the other endpoints are advertised as Entra does.
 */
export function openIdConfigurationV2(input: DiscoveryInput): Record<string, unknown> {
  const base = `${input.publicUrl}/${input.tenantId}`;
  const multiTenant = input.tenantId === 'common' || input.tenantId === 'organizations';
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    issuer: multiTenant ? `${input.publicUrl}/{tenantid}/v2.0` : `${base}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    kerberos_endpoint: `${base}/kerberos`,
    ...common(input),
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
    jwks_uri: `${base}/discovery/keys`,
    issuer: `${base}/`,
    authorization_endpoint: `${base}/oauth2/authorize`,
    end_session_endpoint: `${base}/oauth2/logout`,
    kerberos_endpoint: `${base}/kerberos`,
    ...common(input),
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
