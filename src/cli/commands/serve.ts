import type { Config } from '../../config/config.js';
import { DEMO_SIGN_IN } from '../../directory/demo-tenant.js';
import { isLoopbackHost, redactDbUrl, ServerStartError, shouldImportDemo, startServer, type RunningServer } from '../../server.js';
import type { Logger } from '../../shared/logger.js';
import { CliError } from '../exit.js';
import { onShutdownSignal } from '../signals.js';

export { isLoopbackHost, redactDbUrl, shouldImportDemo };

/** `longrun serve`: Graph API, login authority and (by default) the executor, in one process. */
export async function serve(config: Config, logger: Logger): Promise<void> {
  let server: RunningServer;
  try {
    server = await startServer(config, { logger });
  } catch (e) {
    if (e instanceof ServerStartError) throw new CliError(e.message);
    throw e;
  }
  const { listenUrl, publicUrl, devCa } = server;
  // The address actually listened on (the real port with --port 0); the public URL, when it
  // differs (behind a proxy or load balancer), on the next line.
  process.stdout.write(`longrun listening on ${listenUrl}\n`);
  if (publicUrl !== listenUrl) process.stdout.write(`public URL: ${publicUrl}\n`);
  if (devCa) process.stdout.write(`TLS development CA: ${devCa} (trust it with NODE_EXTRA_CA_CERTS=${devCa})\n`);
  if (server.demoTenant) process.stdout.write(demoBanner(publicUrl));
  logger.info({ publicUrl, concurrency: config.concurrency, db: redactDbUrl(config.db) }, 'started');

  onShutdownSignal(logger, () => server.stop(10_000));
}

/** The password-reset method id every user has (Graph's fixed id for the password method). */
const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';

/**
 * A first token, then the main job: start a password reset (202 + Location) and poll its
 * operation. Every line is meant to be pasted into a POSIX shell as it is.
 */
export function demoBanner(url: string): string {
  const d = DEMO_SIGN_IN;
  const target = `megan@${d.domain}`;
  return `
Demo tenant: ${d.domain}. Get a token for ${d.username} and call Graph:

  TOKEN=$(curl -s ${url}/${d.domain}/oauth2/v2.0/token \\
    -d grant_type=password -d client_id=${d.clientId} -d client_secret=${d.clientSecret} \\
    -d username=${d.username} -d 'password=${d.password}' \\
    -d scope=https://graph.microsoft.com/.default | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
  curl -s ${url}/v1.0/me -H "Authorization: Bearer $TOKEN"

Reset ${target}'s password (202 Accepted; the operation's URL is in Location), then poll it:

  OP=$(curl -s -o /dev/null -D - -X POST \\
    ${url}/v1.0/users/${target}/authentication/methods/${PASSWORD_METHOD_ID}/resetPassword \\
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
    -d '{"newPassword":"Fresh-Start-2024-Kq!"}' | tr -d '\\r' | sed -n 's/^[Ll]ocation: //p')
  curl -s "$OP" -H "Authorization: Bearer $TOKEN"

Watch it in the console: ${url}/console

`;
}
