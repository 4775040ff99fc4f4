/**
 * Graph's identity-and-access throttling headers (https://learn.microsoft.com/graph/throttling-limits,
 * "Identity and access service limits"), as a `throttle` rule's bucket produces them
 * (docs/controls-http.md). Graph documents these for the directory (identity and access) tier;
 * other Graph services throttle with `Retry-After` only.
 */

/** A Graph response when a throttle rule drew from its bucket (one request costs one resource unit). */
const RESOURCE_UNIT = 'x-ms-resource-unit';
/** "Returned only when the application consumed more than 0.8 of its limit"; ranges 0.8 to 1.8. */
const LIMIT_PERCENTAGE = 'x-ms-throttle-limit-percentage';
const REPORTED_FROM = 0.8;

/**
 * The headers of a request a throttle rule let through: `x-ms-resource-unit: 1`, and
 * `x-ms-throttle-limit-percentage` (the bucket's use after this request, a fraction such as
 * `0.85`, at most two decimals) once the use reaches 0.8 of the limit.
 */
export function meteredHeaders(usage: number): Record<string, string> {
  const headers: Record<string, string> = { [RESOURCE_UNIT]: '1' };
  if (usage >= REPORTED_FROM) headers[LIMIT_PERCENTAGE] = String(Math.round(usage * 100) / 100);
  return headers;
}

/**
 * The headers of a throttled (429) request: the bucket refused in `x-ms-throttle-scope`
 * (`<Scope>/<Limit>/<ApplicationId>/<TenantId>`: one bucket per application and tenant, reads
 * and writes together) and why in `x-ms-throttle-information`.
 */
export function throttledHeaders(appId: string, tenantId: string): Record<string, string> {
  return {
    'x-ms-throttle-scope': `Tenant_Application/ReadWrite/${appId}/${tenantId}`,
    'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
  };
}
