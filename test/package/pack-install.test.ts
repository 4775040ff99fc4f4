/**
 * The package as a user gets it: `npm pack` → `npm install ./longrun-*.tgz` into an empty
 * directory (registry only, no TypeScript) → `npx longrun serve` answers, and
 * `import { startLongrun } from 'longrun'` works from a script and type-checks against the
 * shipped .d.ts, and the README's test example passes as copied. Slow: runs once, in the SQLite pass.
 *
 * better-sqlite3 fetches its prebuilt binary from GitHub, which this sandbox cannot reach (it
 * would compile from source, minutes on a busy machine). The test hands it the binary the
 * checkout already built, through prebuild-install's documented offline mechanism
 * (`npm_config_better_sqlite3_local_prebuilds`); everything else comes from the npm registry.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { TEST_BACKEND } from '../support/backends.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const skip = TEST_BACKEND !== 'sqlite' && 'packaging does not depend on the backend: runs in the SQLite pass';

/**
 * The environment without what `npm test` sets for its own run (npm_config_*, npm_package_*…) and
 * without NODE_TEST_CONTEXT, which would make a nested `node --test` report to this runner.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_') && k !== 'NODE_TEST_CONTEXT'));
}

let extraEnv: NodeJS.ProcessEnv = {};

function run(cmd: string, args: string[], cwd: string, timeout = 60_000) {
  const r = spawnSync(cmd, args, { cwd, env: { ...cleanEnv(), ...extraEnv }, encoding: 'utf8', timeout });
  return { code: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** A prebuild-install archive of the checkout's compiled better-sqlite3, named as its GitHub release asset. */
function localPrebuilds(folder: string): string {
  const module = join(REPO, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(module, 'package.json'), 'utf8')) as { version: string };
  mkdirSync(folder, { recursive: true });
  const archive = join(folder, `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`);
  const tar = spawnSync('tar', ['-czf', archive, '-C', module, 'build/Release/better_sqlite3.node']);
  assert.equal(tar.status, 0, String(tar.stderr));
  return folder;
}

/** The README's test example, exactly as printed (the js block that starts with `// reset.test.mjs`). */
function readmeExample(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const block = /```js\n(\/\/ reset\.test\.mjs\n[\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README.md has the reset.test.mjs example');
  return block[1]!;
}

describe('npm pack, then install into an empty directory', { skip }, () => {
  let dir: string;
  let app: string;
  let files: string[];
  let tarball: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'longrun-pack-'));
    // --ignore-scripts: `npm test` built dist/ already; prepack would rebuild it under running tests.
    const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], REPO);
    assert.equal(pack.code, 0, pack.stderr);
    const info = JSON.parse(pack.stdout) as Array<{ filename: string; size: number; files: Array<{ path: string }> }>;
    files = info[0]!.files.map((f) => f.path);
    tarball = join(dir, info[0]!.filename);
    app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'longrun-install-check', private: true, type: 'module' }));
    extraEnv = { npm_config_better_sqlite3_local_prebuilds: localPrebuilds(join(dir, 'prebuilds')) };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the tarball holds the compiled code, types, bin, demo fixture, console and docs, and no sources or tests', () => {
    for (const f of [
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/cli/main.js',
      'bin/longrun.js',
      'fixtures/demo-tenant.json',
      'src/console/static/index.html',
      'README.md',
      'docs/testing.md',
      'package.json',
    ]) {
      assert.ok(files.includes(f), `${f} is packed`);
    }
    assert.deepEqual(
      files.filter((f) => f.startsWith('dist/test/') || f.startsWith('test/') || f.startsWith('node_modules/') || /^src\/.*\.ts$/.test(f)),
      [],
    );
  });

  it('installs with npm from the registry, without TypeScript, and npx longrun serve answers', { timeout: 600_000 }, async () => {
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], app, 540_000);
    assert.equal(install.code, 0, install.stderr);
    assert.ok(existsSync(join(app, 'node_modules', 'longrun', 'dist', 'src', 'index.js')));
    assert.ok(!existsSync(join(app, 'node_modules', 'typescript')), 'typescript is not a runtime dependency');

    const child = spawn('npx', ['--no-install', 'longrun', 'serve', '--port', '0', '--db', 'sqlite::memory:', '--log-level', 'warn'], {
      cwd: app,
      env: { ...cleanEnv(), ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // npx runs node as its child: signal the whole group
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const deadline = Date.now() + 60_000;
      while (!/longrun listening on (\S+)\n/.test(out)) {
        assert.ok(Date.now() < deadline && child.exitCode === null, `no listening line: ${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const url = /longrun listening on (\S+)\n/.exec(out)![1]!;
      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 200);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
    await exited; // npx itself ends by the signal; `serve` exiting 0 on SIGTERM is test/cli's
    assert.doesNotMatch(err, /Error|error/);
  });

  it(
    'import { startLongrun, tenant } from "longrun" runs from a plain script and type-checks against the shipped types',
    { timeout: 120_000 },
    () => {
      assert.ok(existsSync(join(app, 'node_modules', 'longrun')), 'installed by the previous test');
      const script = `
import { startLongrun, tenant } from 'longrun';
const lr = await startLongrun({ fixture: tenant().user('ana', { roles: ['Global Administrator'] }), passwordHashing: 'fast' });
const token: string = await lr.token({ user: 'ana@contoso.onmicrosoft.com' });
const me = await fetch(lr.url + '/v1.0/me', { headers: { authorization: 'Bearer ' + token } });
await lr.stop();
console.log('me ' + me.status);
`;
      writeFileSync(join(app, 'check.ts'), script);
      writeFileSync(join(app, 'check.mjs'), script.replace(': string', ''));
      // A user's strict NodeNext project: the shipped .d.ts must resolve through `exports`, and the
      // public types must not need @types/node (no `types`, no skipLibCheck).
      writeFileSync(
        join(app, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            noEmit: true,
            strict: true,
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2022',
            lib: ['es2023', 'dom'],
            types: [],
          },
          files: ['check.ts'],
        }),
      );
      const types = run(process.execPath, [TSC, '-p', '.'], app);
      assert.equal(types.code, 0, `${types.stdout}${types.stderr}`);
      const bad = script.replace("passwordHashing: 'fast'", "passwordHashing: 'quick'");
      writeFileSync(join(app, 'check.ts'), bad);
      const wrong = run(process.execPath, [TSC, '-p', '.'], app);
      assert.notEqual(wrong.code, 0, 'a wrong option value is a type error');
      assert.match(wrong.stdout, /passwordHashing|quick/);
      const r = run(process.execPath, ['check.mjs'], app);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'me 200');
      assert.ok(readFileSync(join(app, 'node_modules', 'longrun', 'package.json'), 'utf8').includes('"types"'));
    },
  );

  it("the README's test example passes as copied, in the installed directory", { timeout: 120_000 }, () => {
    assert.ok(existsSync(join(app, 'node_modules', 'longrun')), 'installed by the previous test');
    writeFileSync(join(app, 'reset.test.mjs'), readmeExample());
    const r = run(process.execPath, ['--test', 'reset.test.mjs'], app, 110_000);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /# pass 1\n# fail 0/);
  });
});
