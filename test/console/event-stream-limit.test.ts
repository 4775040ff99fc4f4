/**
 * `--event-streams-per-caller`: one caller's open console event streams are bounded; the next
 * one is refused with Graph's 429 envelope and Retry-After, another caller is not affected, and a
 * closed stream gives its place back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleSignIn, demoUser, startConsoleHarness, type ConsoleHarness } from '../support/console.js';
import { waitFor } from '../support/wait-for.js';

describe('console event streams per caller', () => {
  let h: ConsoleHarness;
  let pra: string;
  let admin: string;
  const open: AbortController[] = [];

  const openStream = async (cookie: string) => {
    const controller = new AbortController();
    const res = await fetch(`${h.baseUrl}/console/api/events`, { headers: { cookie }, signal: controller.signal });
    // Every stream is aborted at the end; a refused one's body is read by the test first.
    open.push(controller);
    return { res, controller };
  };

  before(async () => {
    h = await startConsoleHarness({ concurrency: 0, config: { eventStreamsPerCaller: 2 } });
    pra = (await consoleSignIn(h, demoUser('pra').upn, demoUser('pra').password)).cookie;
    admin = (await consoleSignIn(h, demoUser('globalreader').upn, demoUser('globalreader').password)).cookie;
  });
  after(async () => {
    for (const c of open) c.abort();
    await h.close();
  });

  it('refuses the third stream of one user with 429, serves another user, and frees a place on close', async () => {
    const first = await openStream(pra);
    const second = await openStream(pra);
    assert.deepEqual([first.res.status, second.res.status], [200, 200]);

    const third = await openStream(pra);
    assert.equal(third.res.status, 429);
    assert.equal(third.res.headers.get('retry-after'), '30');
    const body = (await third.res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'TooManyRequests');
    assert.match(body.error.message, /already has 2 open event streams/);

    const other = await openStream(admin);
    assert.equal(other.res.status, 200, 'another caller has its own share');

    first.controller.abort();
    const again = await waitFor(
      async () => {
        const attempt = await openStream(pra);
        if (attempt.res.status === 200) return attempt;
        await attempt.res.body?.cancel();
        return undefined;
      },
      { message: 'a place freed by the closed stream' },
    );
    assert.equal(again.res.status, 200);
  });
});
