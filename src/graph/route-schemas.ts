/**
 * Input schemas shared by Graph route declarations: path keys and OData query options.
 */
import { Type, type TObject, type TOptional, type TString } from '@sinclair/typebox';
import type { GraphVersion } from './wire.js';

/** A path key: any non-empty segment (Fastify has already percent-decoded it). */
export const KEY = Type.String({ minLength: 1 });

export const NO_PARAMS = Type.Object({});
export const USER_KEY_PARAMS = Type.Object({ userKey: KEY });

type ODataQuery = TObject<Record<string, TOptional<TString>>>;

/**
 * The OData system query options a route reads, each accepted with or without `$` (optional on
 * beta and on many v1.0 APIs). A repeated option fails as "specified more than once"; options
 * not listed pass through untouched, as Graph ignores unknown non-`$` parameters.
 */
export function odataQuery(...options: Array<'select' | 'expand' | 'filter' | 'top' | 'skip' | 'count'>): ODataQuery {
  const properties: Record<string, TOptional<TString>> = {};
  for (const option of options) {
    properties[`$${option}`] = Type.Optional(Type.String());
    properties[option] = Type.Optional(Type.String());
  }
  return Type.Object(properties);
}

/** A resource under a user: `/{v}/users/{id | userPrincipalName}{suffix}` and `/{v}/me{suffix}`, each with its params schema. */
export function userPaths(version: GraphVersion, suffix = ''): Array<{ url: string; params: typeof USER_KEY_PARAMS | typeof NO_PARAMS }> {
  return [
    { url: `/${version}/users/:userKey${suffix}`, params: USER_KEY_PARAMS },
    { url: `/${version}/me${suffix}`, params: NO_PARAMS },
  ];
}
