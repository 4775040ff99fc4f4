import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { lazyRequestLogger } from '../../src/http/lazy-request-logger.js';

function memoryLogger(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { parent: pino({ level, base: { service: 'longrun' } }, stream), lines };
}

describe('the lazy per-request logger', () => {
  it('writes what the child would, with its bindings, and makes the child only on the first enabled line', () => {
    const { parent, lines } = memoryLogger('info');
    let made = 0;
    const counting = Object.assign(Object.create(parent) as typeof parent, {
      child: (...args: Parameters<typeof parent.child>) => {
        made++;
        return parent.child(...args);
      },
    });
    const log = lazyRequestLogger(counting, { requestId: 'r-1' }, {});
    log.debug('below the level');
    log.trace({ a: 1 }, 'below the level too');
    assert.equal(made, 0, 'nothing enabled was written: no child');
    assert.equal(log.level, 'info');

    log.info({ code: 'x' }, 'first');
    log.error('second');
    assert.equal(made, 1, 'one child, made once');
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg, l.requestId, l.service, l.code]),
      [
        [30, 'first', 'r-1', 'longrun', 'x'],
        [50, 'second', 'r-1', 'longrun', undefined],
      ],
    );
  });

  it('honours a level of its own, a level change, and children of its own', () => {
    const { parent, lines } = memoryLogger('info');
    const quiet = lazyRequestLogger(parent, { requestId: 'r-2' }, { level: 'warn' });
    quiet.info('dropped at the route’s own level');
    quiet.warn('kept');
    const verbose = lazyRequestLogger(parent, { requestId: 'r-3' }, {});
    verbose.level = 'debug';
    verbose.debug('kept after the level change');
    verbose.child({ step: 'inner' }).info('from a child');
    assert.deepEqual(
      lines.map((l) => [l.msg, l.requestId, l.step]),
      [
        ['kept', 'r-2', undefined],
        ['kept after the level change', 'r-3', undefined],
        ['from a child', 'r-3', 'inner'],
      ],
    );
  });

  it('writes nothing at all under a silent parent', () => {
    const { parent, lines } = memoryLogger('silent');
    const log = lazyRequestLogger(parent, { requestId: 'r-4' }, {});
    log.fatal('not even this');
    assert.equal(lines.length, 0);
  });
});
