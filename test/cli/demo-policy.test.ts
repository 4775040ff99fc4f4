/** The demo tenant's published credentials are imported only on a loopback host unless --demo is explicit. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopbackHost, shouldImportDemo } from '../../src/cli/commands/serve.js';

describe('demo tenant import policy', () => {
  it('imports into an empty database on a loopback host only', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.ok(isLoopbackHost(host), host);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'example.com', '128.0.0.1']) assert.ok(!isLoopbackHost(host), host);
    assert.equal(shouldImportDemo(undefined, '127.0.0.1', 0), true);
    assert.equal(shouldImportDemo(undefined, '0.0.0.0', 0), false);
    assert.equal(shouldImportDemo(undefined, '127.0.0.1', 2), false);
  });

  it('an explicit --demo or --no-demo wins', () => {
    assert.equal(shouldImportDemo(true, '0.0.0.0', 5), true);
    assert.equal(shouldImportDemo(false, '127.0.0.1', 0), false);
  });
});
