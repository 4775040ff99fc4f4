/**
 * Progress of long CLI work: a line redrawn in place on a terminal, nothing when the output is
 * not a TTY. The reporter takes the stream and the clock, so no pseudo-terminal is needed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tenantGenerate, tenantImport } from '../../src/cli/commands/tenant.js';
import { createProgress } from '../../src/cli/progress.js';
import { testConfig } from '../../src/config/config.js';
import { generateTenantFixture } from '../../src/directory/fixture-generate.js';
import { createTestDatabase } from '../support/backends.js';

const CLEAR = '\r\x1b[2K';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
}

const dir = mkdtempSync(join(tmpdir(), 'longrun-progress-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('progress reporter', () => {
  it('writes nothing when the stream is not a terminal', () => {
    const stream = fakeStream(false);
    const p = createProgress(stream);
    p.update('hashing passwords', 1, 10);
    p.update('hashing passwords', 10, 10);
    p.finish();
    assert.deepEqual(stream.writes, []);
  });

  it('on a terminal redraws one line, at most once per interval but always for a new step and at the end, and clears it', () => {
    const stream = fakeStream(true);
    let now = 1_000;
    const p = createProgress(stream, { now: () => now, intervalMs: 100 });
    p.update('generating users', 0, 2000);
    now += 50;
    p.update('generating users', 1000, 2000); // within the interval: skipped
    now += 60;
    p.update('generating users', 1500, 2000);
    now += 1;
    p.update('generating users', 2000, 2000); // the end is always drawn
    p.update('writing JSON', 0, 1); // so is a new step, within the interval
    p.update('writing JSON', 0, 1); // the same again is not
    p.finish();
    assert.deepEqual(stream.writes, [
      `${CLEAR}generating users: 0/2,000 (0%)`,
      `${CLEAR}generating users: 1,500/2,000 (75%)`,
      `${CLEAR}generating users: 2,000/2,000 (100%)`,
      `${CLEAR}writing JSON: 0/1 (0%)`,
      CLEAR,
    ]);
  });
});

describe('tenant generate and tenant import report progress only to a terminal', () => {
  it('tenant generate: users made, on a TTY; silent otherwise; the file is the same', () => {
    const tty = fakeStream(true);
    const pipe = fakeStream(false);
    tenantGenerate({ users: '2500', seed: '3', out: join(dir, 'a.json') }, tty);
    tenantGenerate({ users: '2500', seed: '3', out: join(dir, 'b.json') }, pipe);
    assert.ok(
      tty.writes.some((w) => w === `${CLEAR}generating users: 2,500/2,500 (100%)`),
      JSON.stringify(tty.writes),
    );
    assert.equal(tty.writes.at(-1), CLEAR);
    assert.deepEqual(pipe.writes, []);
    assert.equal(readFileSync(join(dir, 'a.json'), 'utf8'), readFileSync(join(dir, 'b.json'), 'utf8'));
  });

  it('tenant import: secrets hashed and the write, on a TTY; silent otherwise', async () => {
    const file = join(dir, 'small.json');
    writeFileSync(file, JSON.stringify(generateTenantFixture({ users: 4, seed: 'p' })));
    const db = await createTestDatabase();
    try {
      const tty = fakeStream(true);
      await tenantImport(testConfig({ db: db.url }), file, tty);
      // 4 users + 1 application hashed.
      assert.ok(tty.writes.includes(`${CLEAR}hashing passwords: 5/5 (100%)`), JSON.stringify(tty.writes));
      assert.ok(tty.writes.includes(`${CLEAR}writing the tenant: 0/1 (0%)`), JSON.stringify(tty.writes));
      assert.equal(tty.writes.at(-1), CLEAR);
      const pipe = fakeStream(false);
      await tenantImport(testConfig({ db: db.url }), file, pipe);
      assert.deepEqual(pipe.writes, []);
    } finally {
      await db.dispose();
    }
  });
});
