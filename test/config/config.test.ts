import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseCommandLine } from '../../src/config/config.js';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseCommandLine(argv, env).config;

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = parse(['serve']);
    assert.equal(c.db, 'sqlite:./data/longrun.db');
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 8080);
    assert.equal(c.publicUrl, undefined);
    assert.equal(c.cloud.name, 'global');
    assert.equal(c.cloud.graphRoot, 'https://graph.microsoft.com');
    assert.equal(c.demo, undefined);
    assert.equal(c.leaseMs, 30_000);
    assert.ok(Object.isFrozen(c));
    assert.equal(c.retentionMs, 7 * 86_400_000);
    assert.equal(parse(['serve', '--retention', '90s']).retentionMs, 90_000);
    assert.equal(parse(['serve'], { LONGRUN_RETENTION: '24h' }).retentionMs, 86_400_000);
    assert.deepEqual(c.extensions, { azureLro: false, wait: false, subscriptions: false, names: [] }, 'faithful by default: no extension');
  });

  it('has the flood limits on by default, each from its flag or variable', () => {
    const c = parse(['serve']);
    assert.deepEqual([c.passwordVerifications, c.passwordQueue, c.eventStreamsPerCaller, c.metricsToken], [4, 32, 10, undefined]);
    const set = parse(['serve', '--password-verifications', '2', '--password-queue', '0'], { LONGRUN_EVENT_STREAMS_PER_CALLER: '3' });
    assert.deepEqual([set.passwordVerifications, set.passwordQueue, set.eventStreamsPerCaller], [2, 0, 3]);
  });

  it('scans alerts in the background every hour by default; --alert-scan-interval sets it or turns it off', () => {
    assert.equal(parse(['serve']).alertScanIntervalMs, 3_600_000);
    assert.equal(parse(['serve', '--alert-scan-interval', '30m']).alertScanIntervalMs, 1_800_000);
    assert.equal(parse(['serve'], { LONGRUN_ALERT_SCAN_INTERVAL: '1d' }).alertScanIntervalMs, 86_400_000);
    assert.equal(parse(['serve', '--alert-scan-interval', 'off']).alertScanIntervalMs, undefined);
  });

  it('switches extensions on by name, or all of them', () => {
    const some = parse(['serve', '--extensions', ' wait ,azure-lro,wait']).extensions;
    assert.deepEqual([some.azureLro, some.wait, some.subscriptions], [true, true, false]);
    assert.deepEqual(some.names, ['azure-lro', 'wait']);
    const all = parse(['serve'], { LONGRUN_EXTENSIONS: 'all' }).extensions;
    assert.deepEqual([all.azureLro, all.wait, all.subscriptions], [true, true, true]);
    assert.deepEqual(parse(['serve', '--extensions', ''], { LONGRUN_EXTENSIONS: 'all' }).extensions.names, [], 'an empty flag means none');
    assert.equal(parse(['serve', '--extensions', 'subscriptions'], { LONGRUN_EXTENSIONS: 'all' }).extensions.wait, false, 'the flag wins');
  });

  it('reads every flag from its environment variable, and flags win', () => {
    const env = {
      LONGRUN_PORT: '9000',
      LONGRUN_CLOUD: 'china',
      LONGRUN_PUBLIC_URL: 'https://graph.example.test/',
      LONGRUN_CONCURRENCY: '3',
      LONGRUN_DEMO: 'false',
    };
    const fromEnv = parse(['serve'], env);
    assert.equal(fromEnv.port, 9000);
    assert.equal(fromEnv.cloud.graphRoot, 'https://microsoftgraph.chinacloudapi.cn');
    assert.equal(fromEnv.publicUrl, 'https://graph.example.test', 'trailing slash removed');
    assert.equal(fromEnv.concurrency, 3);
    assert.equal(fromEnv.demo, false);
    const flagged = parse(['serve', '--port', '0', '--cloud', 'usgovl4', '--demo'], env);
    assert.equal(flagged.port, 0);
    assert.equal(flagged.cloud.graphRoot, 'https://graph.microsoft.us');
    assert.equal(flagged.demo, true);
  });

  const bad: Array<[string, string[], NodeJS.ProcessEnv, RegExp]> = [
    ['port out of range', ['--port', '70000'], {}, /^--port: expected a port number from 0 to 65535, got '70000'$/],
    ['port from env', [], { LONGRUN_PORT: 'http' }, /^LONGRUN_PORT: expected a port number/],
    ['unknown cloud', ['--cloud', 'mars'], {}, /^--cloud: expected one of global, usgovl4, usgovl5, china, got 'mars'$/],
    ['database URL', ['--db', 'mysql://x'], {}, /^--db: expected sqlite:PATH/],
    ['public URL', ['--public-url', 'not a url'], {}, /^--public-url: expected an absolute http\(s\) URL/],
    ['public URL scheme', ['--public-url', 'ftp://x'], {}, /^--public-url: expected an http or https URL/],
    ['concurrency', ['--concurrency', 'lots'], {}, /^--concurrency: expected a whole number from 0 to 1024, got 'lots'$/],
    ['lease', ['--lease-seconds', '0'], {}, /^--lease-seconds: expected a number of seconds/],
    ['tls half given', ['--tls-cert', 'a.pem'], {}, /--tls-cert and --tls-key: give both or neither/],
    ['unknown flag', ['--prot', '1'], {}, /Unknown option '--prot'/],
    ['LONGRUN_DEMO', [], { LONGRUN_DEMO: 'maybe' }, /^LONGRUN_DEMO: expected true or false/],
    [
      'password verifications',
      ['--password-verifications', '0'],
      {},
      /^--password-verifications: expected a whole number from 1 to 1024, got '0'$/,
    ],
    ['password queue', [], { LONGRUN_PASSWORD_QUEUE: '-1' }, /^LONGRUN_PASSWORD_QUEUE: expected a whole number from 0 to 100000/],
    ['event streams', ['--event-streams-per-caller', 'many'], {}, /^--event-streams-per-caller: expected a whole number from 1 to 10000/],
    [
      'retention unit',
      ['--retention', '7w'],
      {},
      /^--retention: expected a duration from 1s to 3650d such as 90s, 30m, 24h or 7d, got '7w'$/,
    ],
    ['retention zero', [], { LONGRUN_RETENTION: '0s' }, /^LONGRUN_RETENTION: expected a duration/],
    [
      'alert scan interval',
      ['--alert-scan-interval', 'hourly'],
      {},
      /^--alert-scan-interval: expected off or a duration from 1s to 3650d such as 30m, 1h or 1d, got 'hourly'$/,
    ],
    [
      'unknown extension',
      ['--extensions', 'wait,azure-lr'],
      {},
      /^--extensions: unknown extension 'azure-lr' \(known: azure-lro, wait, subscriptions, all\)$/,
    ],
    ['unknown extension from env', [], { LONGRUN_EXTENSIONS: 'turbo' }, /^LONGRUN_EXTENSIONS: unknown extension 'turbo'/],
  ];
  for (const [name, argv, env, message] of bad) {
    it(`refuses a bad value with one line naming it: ${name}`, () => {
      assert.throws(
        () => parse(['serve', ...argv], env),
        (e: Error) => e instanceof ConfigError && message.test(e.message) && !e.message.includes('\n'),
      );
    });
  }
});
