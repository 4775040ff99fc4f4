/**
 * A route as data: what it answers, what input it accepts, and who may call it. The handler
 * receives typed input that Fastify has already validated against `schema`, and the principal
 * the route's wire has authenticated and authorized. See docs/architecture.md, "Declaring a route".
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PolicyRuleName } from '../identity/policy/rules.js';
import type { Principal } from '../identity/principal.js';

export type RouteMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Input schemas (TypeBox, i.e. JSON Schema) validated by Fastify before the handler runs. */
export interface RouteSchema {
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
}

/** What a rule depending on the target needs to know about it. */
export interface AuthorizationSubject {
  /** The object id of the user the request acts on. */
  targetUserId: string;
}

/**
 * Finds what a request acts on, after authentication and before authorization (so a rule such
 * as "roles only for others" can be decided). Throws the wire's own not-found error.
 */
export type TargetResolver<T extends AuthorizationSubject> = (
  principal: Principal,
  params: Record<string, string | undefined>,
) => Promise<T>;

/**
 * Who may call a route:
 * - `'none'`: no bearer token is read (the login authority, static files, health checks);
 * - `'authenticated'`: any valid token; the handler decides further (the console's role view);
 * - a policy rule name from `src/identity/policy/rules.ts`;
 * - `{ rule, target }`: a rule that depends on the target user, found by `target`.
 */
export type RouteAuth = 'none' | 'authenticated' | PolicyRuleName | { rule: PolicyRuleName; target: TargetResolver<AuthorizationSubject> };

type StaticOf<T> = T extends TSchema ? Static<T> : undefined;
type TargetOf<A> = A extends { target: TargetResolver<infer T> } ? T : undefined;
type PrincipalOf<A> = A extends 'none' ? undefined : Principal;

/** Which properties `$select` (or another projection) may name, and the type named in errors. */
export interface SelectSpec {
  properties: readonly string[];
  type: string;
}

/** What a handler receives: validated input, the caller, and the reply to render into. */
export interface RouteInput<S extends RouteSchema, A extends RouteAuth> {
  params: StaticOf<S['params']>;
  query: StaticOf<S['querystring']>;
  body: StaticOf<S['body']>;
  principal: PrincipalOf<A>;
  target: TargetOf<A>;
  /** The parsed `$select` when the route declares `select`; undefined when absent. */
  select: string[] | undefined;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteDeclaration<S extends RouteSchema = RouteSchema, A extends RouteAuth = RouteAuth> {
  method: RouteMethod;
  url: string;
  schema?: S;
  auth: A;
  /** `$select` the route honours, read after authentication and before the target look-up. */
  select?: SelectSpec;
  /**
   * false: the resource does not exist in this deployment (a national cloud without it). The
   * wire answers as for an unknown segment, before authentication.
   */
  available?: boolean;
  /** One line for docs/routes.md when the path alone does not say it. */
  summary?: string;
  /**
   * false: the answer is always small (below the compression threshold), so the route skips the
   * compression hooks altogether (http/compression.ts).
   */
  compressed?: false;
  /**
   * true: a GET whose 200 answer may be sent again to the same token while nothing was written
   * (graph/poll-replay.ts). Only for answers that are a function of the token, the URL and the
   * database.
   */
  replayable?: true;
  handler: (input: RouteInput<S, A>) => Promise<unknown>;
}

/** Any declaration, for lists of them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRouteDeclaration = RouteDeclaration<any, any>;

/** Identity at run time; infers the handler's input types from `schema` and `auth`. */
export function declareRoute<S extends RouteSchema = Record<never, never>, const A extends RouteAuth = RouteAuth>(
  declaration: RouteDeclaration<S, A>,
): RouteDeclaration<S, A> {
  return declaration;
}

/** How docs/routes.md states a route's permission. */
export function describeAuth(auth: RouteAuth): string {
  if (auth === 'none') return 'none';
  if (auth === 'authenticated') return 'any valid token';
  if (typeof auth === 'string') return auth;
  return `${auth.rule} (target user)`;
}

/** The policy rule a declaration names, if any. */
export function ruleOf(auth: RouteAuth): PolicyRuleName | undefined {
  if (auth === 'none' || auth === 'authenticated') return undefined;
  return typeof auth === 'string' ? auth : auth.rule;
}
