import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { RouteOptions, RouteSink } from '../http/register-routes.js';
import type { RouteMethod } from '../http/route-declaration.js';
import { methodNotAllowed } from './errors.js';

export type GraphHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const ALL_METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The Graph route table. Every path is registered with the methods it serves and a 405 for
 * the others, and kept here so an unknown URL can be answered with the first segment no
 * route knows (Graph's "Resource not found for the segment …").
 */
export class RouteTable implements RouteSink {
  readonly #patterns: string[][] = [];

  constructor(private readonly app: FastifyInstance) {}

  /** Registers a path: each method as a bare handler or as route options (from a declaration). */
  add(path: string, handlers: Partial<Record<RouteMethod, GraphHandler | RouteOptions>>): void {
    this.#patterns.push(path.split('/').filter(Boolean));
    for (const [method, handler] of Object.entries(handlers)) {
      const options = typeof handler === 'function' ? { handler } : handler;
      this.app.route({ ...options, method: method, url: path });
    }
    const others = ALL_METHODS.filter((m) => !(m in handlers));
    if (others.length > 0) {
      this.app.route({
        method: others,
        url: path,
        handler: async (request) => {
          throw methodNotAllowed(request.method);
        },
      });
    }
  }

  /**
   * A path Graph has but Longrun serves nothing at or below (v1.0's `identityGovernance`): an
   * unknown URL under it names the segment after it, as Graph's would.
   */
  addKnownPrefix(path: string): void {
    this.#patterns.push(path.split('/').filter(Boolean));
  }

  /** The first path segment that no registered route matches, for an unknown URL. */
  unknownSegment(path: string): string {
    const segments = path.split('?')[0]!.split('/').filter(Boolean).map(safeDecode);
    let best = 0;
    for (const pattern of this.#patterns) {
      let i = 0;
      while (i < segments.length && i < pattern.length && (pattern[i]!.startsWith(':') || pattern[i] === segments[i])) i++;
      best = Math.max(best, i);
    }
    return segments[Math.min(best, segments.length - 1)] ?? '';
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
