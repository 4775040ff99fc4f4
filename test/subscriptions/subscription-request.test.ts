/** The pure rules of a subscription body: loopback hosts, the https rule, resources, the expiry limit. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkNotificationUrl, isLoopbackHost } from '../../src/subscriptions/notification-url.js';
import { SubscriptionError } from '../../src/subscriptions/subscription-error.js';
import { MAX_SUBSCRIPTION_MINUTES, parseExpiration, parseResource } from '../../src/subscriptions/subscription-request.js';

const NOW = Date.UTC(2026, 6, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

describe('subscription request rules', () => {
  it('loopback hosts: 127.0.0.0/8, localhost, [::1]; nothing else', () => {
    for (const url of [
      'http://127.0.0.1:8080/x',
      'http://127.255.10.3/x',
      'http://localhost:9/x',
      'http://LOCALHOST/x',
      'http://[::1]:80/x',
      'http://app.localhost/x',
    ]) {
      assert.ok(isLoopbackHost(new URL(url).hostname), url);
      assert.equal(checkNotificationUrl(url).href, new URL(url).href);
    }
    for (const url of [
      'http://128.0.0.1/x',
      'http://10.0.0.1/x',
      'http://127.0.0.1.example.com/x',
      'http://localhost.example.com/x',
      'http://[::2]/x',
      'http://example.com/x',
    ]) {
      assert.ok(!isLoopbackHost(new URL(url).hostname), url);
      assert.throws(() => checkNotificationUrl(url), /scheme='http' is not supported/);
    }
  });

  it('https anywhere; no credentials, fragments or relative URLs', () => {
    assert.equal(checkNotificationUrl('https://hooks.example.com/graph?x=1').hostname, 'hooks.example.com');
    assert.throws(() => checkNotificationUrl('https://user:pw@example.com/'), /credentials/);
    assert.throws(() => checkNotificationUrl('https://example.com/#frag'), /fragment/);
    assert.throws(() => checkNotificationUrl('/relative'), /not an absolute URL/);
  });

  it("resources: alert operations (beta only) and one user's authentication operations", () => {
    assert.deepEqual(parseResource('identityGovernance/roleManagementAlerts/operations', 'beta'), { kind: 'alertOperations' });
    assert.deepEqual(parseResource('/identityGovernance/roleManagementAlerts/operations', 'beta'), { kind: 'alertOperations' });
    assert.throws(() => parseResource('identityGovernance/roleManagementAlerts/operations', 'v1.0'), /not supported on v1\.0/);
    assert.deepEqual(parseResource('users/alice%40contoso.com/authentication/operations', 'v1.0'), {
      kind: 'authenticationOperations',
      userKey: 'alice@contoso.com',
    });
    assert.deepEqual(parseResource("users('abc')/authentication/operations", 'v1.0'), { kind: 'authenticationOperations', userKey: 'abc' });
    assert.deepEqual(parseResource('me/authentication/operations', 'beta'), { kind: 'authenticationOperations', userKey: 'me' });
    for (const r of [
      'users/x/authentication/operations/y',
      'users/authentication/operations',
      'identityGovernance/roleManagementAlerts/alerts',
    ]) {
      assert.throws(() => parseResource(r, 'beta'), SubscriptionError, r);
    }
  });

  it('expiry: after now and at most 4320 minutes ahead, inclusive', () => {
    const limit = NOW + MAX_SUBSCRIPTION_MINUTES * 60_000;
    assert.equal(parseExpiration(iso(limit), NOW), limit);
    assert.equal(parseExpiration(iso(NOW + 1), NOW), NOW + 1);
    for (const bad of [iso(limit + 1), iso(NOW), iso(NOW - 1)]) {
      assert.throws(
        () => parseExpiration(bad, NOW),
        (e: unknown) => e instanceof SubscriptionError && e.code === 'ExtensionError' && e.message.includes('expirationDateTime'),
      );
    }
    assert.throws(() => parseExpiration(undefined, NOW), /expirationDateTime is a required property/);
    assert.throws(() => parseExpiration(42, NOW), /not a valid ISO 8601/);
  });
});
