/**
 * Turns route declarations into Fastify routes for one wire (Graph, the control API, the login
 * authority, the console…). The wire supplies what differs between them: how a caller is
 * authenticated and refused, and how bad input and absent resources are answered.
 */
import type { FastifyInstance, FastifyRequest, FastifySchemaValidationError, RouteHandlerMethod, RouteShorthandOptions } from 'fastify';
import type { PolicyRuleName } from '../identity/policy/rules.js';
import type { Principal } from '../identity/principal.js';
import {
  describeAuth,
  ruleOf,
  type AnyRouteDeclaration,
  type AuthorizationSubject,
  type RouteMethod,
  type SelectSpec,
} from './route-declaration.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the declaration's preValidation hook for routes whose `auth` is not `'none'`. */
    principal: Principal | null;
  }
}

/** Fastify route options for one method of a path. */
export type RouteOptions = RouteShorthandOptions & { handler: RouteHandlerMethod };

/** Where a wire's routes are registered: the Graph RouteTable (405s, unknown segments) or a plain scope. */
export interface RouteSink {
  add(path: string, methods: Partial<Record<RouteMethod, RouteOptions>>): void;
}

/** A sink that registers straight on a Fastify instance or scope (no 405s, no segment table). */
export function fastifySink(fastify: FastifyInstance): RouteSink {
  return {
    add(path, methods) {
      for (const [method, options] of Object.entries(methods)) fastify.route({ ...options, method, url: path });
    },
  };
}

/** One row of docs/routes.md. */
export interface CataloguedRoute {
  wire: string;
  method: RouteMethod;
  url: string;
  auth: string;
  summary?: string | undefined;
}

export interface RouteWire {
  /** Named in docs/routes.md: `graph`, `control`, `authority`, `console`, `operator`. */
  name: string;
  sink: RouteSink;
  /** Every registered declaration is recorded here (the app's catalogue). */
  catalogue: CataloguedRoute[];
  /** Reads the caller's credentials; throws the wire's 401. Required unless every route is `'none'`. */
  authenticate?: (request: FastifyRequest) => Promise<Principal>;
  /** Throws the wire's 403 when `principal` does not pass `rule`. */
  authorize?: (principal: Principal, rule: PolicyRuleName, target: Partial<AuthorizationSubject>) => void;
  /** The error for input that failed its schema (the first failure, as Fastify reports it). */
  invalidInput: (errors: FastifySchemaValidationError[], part: string) => Error;
  /** The error for a declaration marked `available: false`. */
  unavailable: (url: string) => Error;
  /** Parses a projection (`$select`) for routes that declare `select`. */
  readSelect?: (query: unknown, spec: SelectSpec) => string[] | undefined;
}

/** Registers `declarations` on `wire`, grouped by path so the sink sees every method of a path at once. */
export function registerRoutes(wire: RouteWire, declarations: readonly AnyRouteDeclaration[]): void {
  const byUrl = new Map<string, AnyRouteDeclaration[]>();
  for (const d of declarations) {
    const list = byUrl.get(d.url) ?? [];
    if (list.some((other) => other.method === d.method)) throw new Error(`route declared twice: ${d.method} ${d.url}`);
    list.push(d);
    byUrl.set(d.url, list);
  }
  for (const [url, list] of byUrl) {
    const methods: Partial<Record<RouteMethod, RouteOptions>> = {};
    for (const d of list) {
      methods[d.method] = routeOptions(wire, d);
      // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- see routeOptions: the declaration's types are erased here
      wire.catalogue.push({ wire: wire.name, method: d.method, url, auth: describeAuth(d.auth), summary: d.summary });
    }
    wire.sink.add(url, methods);
  }
}

/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call --
   AnyRouteDeclaration erases each declaration's own schema types; declareRoute() checked them where the route was written. */
function routeOptions(wire: RouteWire, d: AnyRouteDeclaration): RouteOptions {
  if (d.available === false) {
    return {
      handler: async () => {
        throw wire.unavailable(d.url);
      },
    };
  }
  const rule = ruleOf(d.auth);
  const resolveTarget = typeof d.auth === 'object' ? d.auth.target : undefined;
  const { authenticate, authorize, readSelect } = wire;
  if (d.auth !== 'none' && !authenticate) throw new Error(`${d.method} ${d.url}: wire '${wire.name}' cannot authenticate`);
  if (rule && !authorize) throw new Error(`${d.method} ${d.url}: wire '${wire.name}' cannot authorize`);
  if (d.select && !readSelect) throw new Error(`${d.method} ${d.url}: wire '${wire.name}' cannot read $select`);

  const options: RouteOptions = {
    schemaErrorFormatter: wire.invalidInput,
    handler: async function declaredRoute(request, reply) {
      const principal = request.principal ?? undefined;
      const select = d.select ? readSelect!(request.query, d.select) : undefined;
      const target = resolveTarget ? await resolveTarget(principal!, request.params) : undefined;
      if (rule) authorize!(principal!, rule, target ?? {});
      return d.handler({ params: request.params, query: request.query, body: request.body, principal, target, select, request, reply });
    },
  };
  if (d.schema) options.schema = d.schema;
  // @fastify/compress reads this route option and then adds neither of its two hooks.
  if (d.compressed === false) options.compress = false;
  if (d.replayable) options.config = { replayable: true };
  // Authentication runs before Fastify's validation: a request without a valid token gets the
  // 401, never a 400 that would tell an anonymous caller about the route's input.
  if (d.auth !== 'none') {
    options.preValidation = async (request: FastifyRequest) => {
      request.principal = await authenticate!(request);
    };
  }
  return options;
}
