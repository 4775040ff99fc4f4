/**
 * The console's static page: plain ES modules and CSS from `src/console/static/`, read from the
 * source folder at run time (`tsc` does not copy them, and the folder exists in every clone),
 * served by name from a fixed list and cached after the first read.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyReply } from 'fastify';
import { itemNotFound } from '../graph/errors.js';

const STATIC_FILES: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'chart.js': 'text/javascript; charset=utf-8',
  'controls.js': 'text/javascript; charset=utf-8',
  'ui.js': 'text/javascript; charset=utf-8',
  'view-alerts.js': 'text/javascript; charset=utf-8',
  'view-operation.js': 'text/javascript; charset=utf-8',
  'view-operations.js': 'text/javascript; charset=utf-8',
  'view-reset.js': 'text/javascript; charset=utf-8',
  'view-sign-in.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'index.html': 'text/html; charset=utf-8',
};

/** `dist/src/console/*.js` → `src/console/static/`; running from source → `./static/`. */
function staticFolder(): string {
  const candidates = [new URL('../../../src/console/static/', import.meta.url), new URL('./static/', import.meta.url)];
  for (const url of candidates) {
    try {
      readFileSync(new URL('index.html', url));
      return fileURLToPath(url);
    } catch {
      // try the next one
    }
  }
  return fileURLToPath(candidates[0]!);
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** A sender of the console's static files: `send(reply, 'app.js')`; an unknown name is a 404. */
export function consoleStaticFiles(): (reply: FastifyReply, name: string) => FastifyReply {
  const folder = staticFolder();
  const cache = new Map<string, Buffer>();
  return (reply: FastifyReply, name: string): FastifyReply => {
    // Own keys only: `constructor` or `__proto__` are not files of the console.
    const type = Object.hasOwn(STATIC_FILES, name) ? STATIC_FILES[name] : undefined;
    if (!type) throw itemNotFound('file', name);
    let body = cache.get(name);
    if (!body) {
      try {
        body = readFileSync(`${folder}/${name}`);
      } catch (e) {
        // An installation without the static folder: the operator reads where in the log; the client never does.
        reply.log.error({ err: e, folder }, "the console's static files are missing");
        throw itemNotFound('file', name);
      }
      cache.set(name, body);
    }
    return reply.headers(SECURITY_HEADERS).header('content-type', type).send(body);
  };
}
