/**
 * The `npm start` banner is meant to be pasted into a shell as printed: this runs its commands
 * with bash and curl against a real `longrun serve` and checks what a new user would see.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { startLongrun } from '../support/child-service.js';

const hasCurl = spawnSync('curl', ['--version']).status === 0;

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('npm start banner', () => {
  it('its token, reset and poll commands work as pasted', { skip: !hasCurl && 'needs curl on PATH' }, async () => {
    const s = await startLongrun(['serve', '--db', 'sqlite::memory:', '--port', '0', '--log-level', 'warn']);
    try {
      await until(() => s.stdout().includes('/console\n'));
      const banner = s.stdout();
      const snippet = banner
        .split('\n')
        .filter((line) => line.startsWith('  '))
        .join('\n');
      assert.match(snippet, /resetPassword/);
      // What the banner tells a user to do by hand: poll until the operation is terminal.
      const poll = `
for i in $(seq 1 100); do
  BODY=$(curl -s "$OP" -H "Authorization: Bearer $TOKEN")
  case "$BODY" in *'"status":"succeeded"'*|*'"status":"failed"'*) echo "FINAL $BODY"; exit 0;; esac
  sleep 0.1
done
echo "NOT TERMINAL $BODY"; exit 1`;
      const run = spawnSync('bash', ['-e', '-c', `${snippet}\necho\necho "OP=$OP"\n${poll}`], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /"userPrincipalName":"admin@contoso\.onmicrosoft\.com"/, 'GET /v1.0/me answered for the demo admin');
      assert.match(
        run.stdout,
        new RegExp(`OP=${s.url.replace(/[.]/g, '\\.')}/v1\\.0/users/[0-9a-f-]+/authentication/operations/[0-9a-f-]+`),
      );
      assert.match(run.stdout, /FINAL .*"status":"succeeded"/);
      // The reset took effect: the password from the banner is now the user's. An administrator's
      // reset makes the user change it at the next sign-in, so the grant answers AADSTS50055
      // (only after the password itself was accepted) rather than a token, as Entra does.
      const password = /"newPassword":"([^"]+)"/.exec(snippet)![1]!;
      const form = new URLSearchParams({
        grant_type: 'password',
        client_id: /client_id=(\S+)/.exec(snippet)![1]!,
        client_secret: /client_secret=(\S+)/.exec(snippet)![1]!,
        username: /users\/([^/]+)\/authentication/.exec(snippet)![1]!,
        password,
        scope: 'https://graph.microsoft.com/.default',
      });
      const token = await fetch(`${s.url}/contoso.onmicrosoft.com/oauth2/v2.0/token`, { method: 'POST', body: form });
      const answer = await token.text();
      assert.equal(token.status, 400, answer);
      assert.deepEqual((JSON.parse(answer) as { error_codes: number[] }).error_codes, [50055], answer);
    } finally {
      s.child.kill('SIGTERM');
      assert.equal((await s.exited).code, 0);
    }
  });
});
