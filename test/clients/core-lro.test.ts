/**
 * Conformance: @azure/core-lro's createHttpPoller, unmodified, on the password-reset and
 * alert-refresh flows, over HTTP and HTTPS, with the azure-lro extension (which it needs), and
 * what it does against Graph's own headers (extension off; docs/compatibility.md). The RunningOperation is written as an Azure
 * generated client writes it: it sends the request, throws on a 4xx/5xx, and hands the raw
 * response (lower-cased headers, parsed body) to the poller.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHttpPoller, type OperationResponse, type RunningOperation } from '@azure/core-lro';
import { extensionsOf } from '../../src/extensions.js';
import {
  ADMIN,
  alertId,
  eventually,
  PASSWORD_METHOD,
  PEOPLE,
  startClientServer,
  TRANSPORTS,
  transportName,
  type ClientServer,
} from '../support/clients.js';

interface Poll {
  at: number;
  url: string;
  statusCode: number;
  body: any;
  headers: Record<string, string>;
}

class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: string,
  ) {
    super(`HTTP ${statusCode}: ${body}`);
  }
}

/** A RunningOperation over fetch, recording every poll (and final GET). */
function runningOperation(
  server: ClientServer,
  token: string,
  initial: { url: string; body?: unknown },
  onPoll?: (poll: Poll) => void,
): { lro: RunningOperation; polls: Poll[]; initial: () => Poll | undefined } {
  const polls: Poll[] = [];
  let first: Poll | undefined;
  const send = async (method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ response: OperationResponse; poll: Poll }> => {
    const res = await server.fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 400) throw new HttpError(res.status, text);
    const parsed = text === '' ? undefined : JSON.parse(text);
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    const poll = { at: Date.now(), url, statusCode: res.status, body: parsed, headers };
    return {
      response: { flatResponse: parsed, rawResponse: { statusCode: res.status, headers, body: parsed, request: { method, url } } },
      poll,
    };
  };
  const lro: RunningOperation = {
    sendInitialRequest: async () => {
      const { response, poll } = await send('POST', initial.url, initial.body ?? {});
      first = poll;
      return response;
    },
    sendPollRequest: async (path: string) => {
      const { response, poll } = await send('GET', path);
      polls.push(poll);
      onPoll?.(poll);
      return response;
    },
  };
  return { lro, polls, initial: () => first };
}

for (const tls of TRANSPORTS) {
  describe(`@azure/core-lro createHttpPoller over ${transportName(tls)}, extension azure-lro`, () => {
    let server: ClientServer;
    let token: string;

    before(async () => {
      // The executor is started by the tests, so that a poll can see a non-terminal operation.
      server = await startClientServer({ tls, startExecutor: false, extensions: extensionsOf(['azure-lro']) });
      token = await server.userToken(ADMIN.upn, ADMIN.password);
    });
    after(() => server.close());

    const resetUrl = (userId: string) => `${server.url}/v1.0/users/${userId}/authentication/methods/${PASSWORD_METHOD}/resetPassword`;

    it('password reset: honours Retry-After, reaches succeeded only when the operation has, then GETs resourceLocation', async () => {
      const person = PEOPLE[tls ? 5 : 4]!;
      const { lro, polls, initial } = runningOperation(
        server,
        token,
        { url: resetUrl(person.id), body: { newPassword: 'Fresh-Kq81-Zt!w-lro' } },
        (_poll) => {
          // The first poll sees the operation queued; only then may it run.
          if (polls.length === 1) server.startExecutor();
        },
      );
      const poller = createHttpPoller(lro, { intervalInMs: 50 });
      const result = (await poller.pollUntilDone()) as { '@odata.type'?: string; id?: string };

      const first = initial()!;
      assert.equal(first.statusCode, 202);
      assert.equal(first.headers['operation-location'], first.headers.location);
      const monitor = first.headers['operation-location']!;
      const statusPolls = polls.filter((p) => p.url === monitor);
      assert.ok(statusPolls.length >= 2, `polled ${statusPolls.length} times`);
      assert.notEqual(statusPolls[0]!.body.status, 'succeeded');
      assert.equal(statusPolls[0]!.headers['retry-after'], '1', 'Retry-After on the non-terminal GET');
      // core-lro waited Retry-After (1 s), not its 50 ms interval.
      assert.ok(statusPolls[1]!.at - statusPolls[0]!.at >= 900, `second poll after ${statusPolls[1]!.at - statusPolls[0]!.at} ms`);
      const last = statusPolls.at(-1)!;
      assert.equal(last.body.status, 'succeeded');
      assert.equal(last.headers['retry-after'], undefined, 'no Retry-After once terminal');
      assert.equal(poller.operationState?.status, 'succeeded');

      // The final GET went to resourceLocation (the password method) and is the result.
      const resourceLocation = last.body.resourceLocation as string;
      assert.ok(resourceLocation.startsWith(server.url), resourceLocation);
      assert.equal(polls.at(-1)!.url, resourceLocation);
      assert.equal(result.id, PASSWORD_METHOD);
      assert.equal(result['@odata.type'], '#microsoft.graph.passwordAuthenticationMethod');
    });

    it('password reset rejected by the policy: pollUntilDone throws with the code and the reason', async () => {
      server.startExecutor();
      const person = PEOPLE[tls ? 7 : 6]!;
      const { lro, polls } = runningOperation(server, token, { url: resetUrl(person.id), body: { newPassword: 'short' } });
      const poller = createHttpPoller(lro, { intervalInMs: 50 });
      await assert.rejects(poller.pollUntilDone(), (e: Error) => {
        assert.match(e.message, /^The long-running operation has failed\. passwordPolicyViolation\. /);
        assert.match(e.message, /password policy/i);
        return true;
      });
      assert.equal(poller.operationState?.status, 'failed');
      const last = polls.at(-1)!;
      assert.equal(last.body.status, 'failed');
      assert.deepEqual(Object.keys(last.body.error).sort(), ['code', 'message']);
    });

    it('alert refresh (beta, id with a colon): succeeded, then the refreshed alert is the result', async () => {
      server.startExecutor();
      const alert = alertId('TooManyGlobalAdminsAssignedToTenantAlert');
      const { lro, polls, initial } = runningOperation(server, token, {
        url: `${server.url}/beta/identityGovernance/roleManagementAlerts/alerts/${alert}/refresh`,
      });
      const poller = createHttpPoller(lro, { intervalInMs: 50 });
      const result = (await poller.pollUntilDone()) as { id?: string; alertDefinitionId?: string };
      const monitor = initial()!.headers['operation-location']!;
      assert.ok(monitor.endsWith(`/operations/refresh:${alert}`), monitor);
      const statusPolls = polls.filter((p) => p.url === monitor);
      for (const p of statusPolls.slice(0, -1))
        assert.equal(p.body.resourceLocation, '', 'empty resourceLocation before success is harmless');
      assert.equal(statusPolls.at(-1)!.body.status, 'succeeded');
      assert.equal(result.id, alert);
    });

    it('refresh of all alerts: succeeded, and the final GET of resourceLocation works', async () => {
      server.startExecutor();
      const { lro, polls } = runningOperation(server, token, {
        url: `${server.url}/beta/identityGovernance/roleManagementAlerts/alerts/refresh`,
        body: { scopeId: '/', scopeType: 'DirectoryRole' },
      });
      const poller = createHttpPoller(lro, { intervalInMs: 50 });
      const result = (await poller.pollUntilDone()) as { value?: unknown[] };
      assert.equal(poller.operationState?.status, 'succeeded');
      assert.ok(Array.isArray(result.value), `final GET ${polls.at(-1)!.url} returned a collection`);
    });

    it('resumes from a serialized state in another poller', async () => {
      server.startExecutor();
      const person = PEOPLE[tls ? 9 : 8]!;
      const { lro } = runningOperation(server, token, { url: resetUrl(person.id), body: { newPassword: 'Fresh-Kq81-Zt!w-resume' } });
      const poller = createHttpPoller(lro, { intervalInMs: 50 });
      await poller.submitted();
      const saved = await poller.serialize();
      const { lro: lro2 } = runningOperation(server, token, { url: resetUrl(person.id) });
      const resumed = createHttpPoller(lro2, { intervalInMs: 50, restoreFrom: saved });
      const result = (await resumed.pollUntilDone()) as { id?: string };
      assert.equal(result.id, PASSWORD_METHOD);
    });
  });
}

/**
 * What a core-lro user meets on real Graph: a 202 with `Location` only puts core-lro in its
 * "resource location" mode, where only a 202 means "still running" and the body is never read.
 * Graph answers the operation GET with 200 whatever the status, so the poller reports success
 * after its first poll and returns the operation body (still notStarted, or failed) as the result.
 */
describe("@azure/core-lro createHttpPoller against Graph's own headers (azure-lro off)", () => {
  let server: ClientServer;
  let token: string;

  before(async () => {
    server = await startClientServer({ tls: false, startExecutor: false, extensions: extensionsOf([]) });
    token = await server.userToken(ADMIN.upn, ADMIN.password);
  });
  after(() => server.close());

  const resetUrl = (userId: string) => `${server.url}/v1.0/users/${userId}/authentication/methods/${PASSWORD_METHOD}/resetPassword`;

  it('reports succeeded after one poll while the operation has not started, with the operation as the result', async () => {
    const person = PEOPLE[10]!;
    const { lro, polls, initial } = runningOperation(server, token, {
      url: resetUrl(person.id),
      body: { newPassword: 'Fresh-Kq81-Zt!w-graph' },
    });
    const poller = createHttpPoller(lro, { intervalInMs: 50 });
    const result = (await poller.pollUntilDone()) as { status?: string; id?: string };

    const first = initial()!;
    assert.equal(first.statusCode, 202);
    assert.equal(first.headers['operation-location'], undefined, 'Graph sends Location only');
    assert.equal(polls.length, 1, 'one poll, no final GET');
    assert.equal(polls[0]!.url, first.headers.location);
    assert.equal(polls[0]!.statusCode, 200);
    assert.equal(poller.operationState?.status, 'succeeded');
    assert.equal(result.status, 'notStarted', 'the "result" is the operation, not yet run');
    const id = new URL(first.headers.location!).pathname.split('/').pop()!;
    assert.equal((await server.store.operations.get(id))?.status, 'notStarted', "nothing ran: the success was core-lro's inference");
  });

  it('reports succeeded for a failed operation too (no error object to read)', async () => {
    const person = PEOPLE[11]!;
    const { lro, polls, initial } = runningOperation(server, token, { url: resetUrl(person.id), body: { newPassword: 'short' } });
    // A client that polls after the operation ended: the poll waits for the failure first.
    const poll = lro.sendPollRequest.bind(lro);
    lro.sendPollRequest = async (path: string) => {
      server.startExecutor();
      const id = new URL(initial()!.headers.location!).pathname.split('/').pop()!;
      await eventually(async () => ((await server.store.operations.get(id))?.status === 'failed' ? true : undefined));
      return poll(path);
    };
    const poller = createHttpPoller(lro, { intervalInMs: 50 });
    const result = (await poller.pollUntilDone()) as { status?: string; error?: unknown };
    assert.equal(poller.operationState?.status, 'succeeded');
    assert.equal(result.status, 'failed');
    assert.equal(result.error, undefined, 'Graph carries the reason in statusDetail only');
    assert.equal(polls.length, 1);
  });
});
