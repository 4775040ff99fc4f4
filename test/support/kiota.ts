/**
 * Kiota plumbing for the conformance tests, as an application would write it: a bearer-token
 * provider (the SDK's own BaseBearerTokenAuthenticationProvider, with 127.0.0.1 allowed), the
 * Graph middleware chain over a fetch that trusts the development CA, and the base URL set
 * explicitly (docs/compatibility.md).
 */
import {
  AllowedHostsValidator,
  BaseBearerTokenAuthenticationProvider,
  type AccessTokenProvider,
  type AuthenticationProvider,
} from '@microsoft/kiota-abstractions';
import { HeadersInspectionOptions } from '@microsoft/kiota-http-fetchlibrary';
import { createGraphClientFactory } from '@microsoft/msgraph-sdk-core';
import type { ClientServer } from './clients.js';

export function staticTokenProvider(token: string | (() => Promise<string>), hosts = ['127.0.0.1', 'localhost']): AuthenticationProvider {
  const provider: AccessTokenProvider = {
    getAuthorizationToken: async () => (typeof token === 'string' ? token : token()),
    getAllowedHostsValidator: () => new AllowedHostsValidator(new Set(hosts)),
  };
  return new BaseBearerTokenAuthenticationProvider(provider);
}

/** The Graph HTTP client (retry, redirect, telemetry… middleware) over a CA-trusting fetch. */
export function graphHttpClient(server: ClientServer, version: 'v1.0' | 'beta') {
  const customFetch = (request: string, init: RequestInit) => server.fetch(request, init);
  return createGraphClientFactory({ graphServiceTargetVersion: version }, customFetch);
}

export const inspectHeaders = () => new HeadersInspectionOptions({ inspectResponseHeaders: true });

/** One response header from a HeadersInspectionOptions (Kiota keeps them case-insensitively). */
export function headerOf(options: HeadersInspectionOptions, name: string): string | undefined {
  const values = options.getResponseHeaders().get(name);
  return values ? [...values][0] : undefined;
}
