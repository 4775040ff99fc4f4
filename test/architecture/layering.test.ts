/** The layering of docs/architecture.md, checked on every TypeScript file under src/ rather than by goodwill. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { checkLayering, importsOf, targetOf, type SourceFile } from './layering-rules.js';

/** dist/test/architecture/ → the repository's src/. */
const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

function sourceFiles(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts')) {
      const text = readFileSync(full, 'utf8');
      out.push({ path: relative(SRC, full).split('\\').join('/'), imports: importsOf(text), text });
    }
  }
  return out;
}

const file = (path: string, imports: string[], text = ''): SourceFile => ({ path, imports, text });

describe('layering', () => {
  it('src/ follows the dependency rules', () => {
    const files = sourceFiles(SRC);
    assert.ok(files.length > 100, `found only ${files.length} source files under ${SRC}`);
    assert.ok(
      files.some((f) => f.path === 'storage/store.ts' && f.imports.length > 0),
      'imports were parsed',
    );
    const violations = checkLayering(files);
    assert.deepEqual(violations, [], violations.map((v) => `${v.file}: ${v.rule}: ${v.detail}`).join('\n'));
  });

  it('parses static, re-export, type-only and dynamic imports', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "export { c } from './c.js';",
      "import {\n  d,\n  e,\n} from '../../d.js';",
      "const f = await import('../f.js');",
      "import 'side-effect';",
    ].join('\n');
    assert.deepEqual(importsOf(text).sort(), ['../../d.js', '../b/b.js', '../f.js', './a.js', './c.js', 'side-effect'].sort());
    assert.equal(targetOf('storage/sqlite/x.ts', '../../graph/errors.js'), 'graph');
    assert.equal(targetOf('alerts/refresh/q.ts', '../../storage/store.js'), 'storage');
    assert.equal(targetOf('alerts/x.ts', '@sinclair/typebox'), '@sinclair/typebox');
    assert.equal(targetOf('graph/x.ts', 'fastify'), 'fastify');
  });

  it('fails on each kind of violation (synthetic files)', () => {
    const violations = checkLayering([
      file('storage/alerts-repository.ts', ['../alerts/configuration.js', './sql.js']),
      file('storage/sqlite/adapter.ts', ['../../graph/errors.js']),
      file('identity/policy/authorize.ts', ['../../graph/errors.js']),
      file('alerts/remediate.ts', ['fastify', '../storage/store.js']),
      file('passwords/x.ts', ['../console/console-session.js']),
      file('ops/operator-routes.ts', [], 'const row = await deps.store.sql.queryOne(`SELECT MAX(version) AS v FROM schema_migrations`);'),
      file('console/console-routes.ts', ['pg']),
      // Allowed: storage → operations types, identity → storage, graph → alerts, alerts → storage.
      file('storage/operation-rows.ts', ['../operations/model.js']),
      file('identity/token-verifier.ts', ['../storage/store.js']),
      file('graph/routes/alerts.ts', ['../../alerts/refresh/queue-refresh.js']),
    ]);
    assert.deepEqual(
      violations.map((v) => `${v.file} ${v.rule}`),
      [
        'storage/alerts-repository.ts storage ↛ alerts',
        'storage/sqlite/adapter.ts storage ↛ graph',
        'identity/policy/authorize.ts identity ↛ graph',
        'alerts/remediate.ts alerts ↛ fastify',
        'passwords/x.ts passwords ↛ console',
        'ops/operator-routes.ts ops ↛ SQL',
        'ops/operator-routes.ts ops ↛ SQL',
        'console/console-routes.ts console ↛ SQL',
      ],
    );
  });
});
