// A tiny helpdesk tool, as a team would write it on the Microsoft Graph SDK: reset a user's
// password, then poll the long-running operation until it is over. Nothing in it knows about
// Longrun: point `graphUrl` at https://graph.microsoft.com in production, at Longrun in tests.
import { createGraphServiceClient, GraphRequestAdapter } from '@microsoft/msgraph-sdk';
import '@microsoft/msgraph-sdk-users';
import { AllowedHostsValidator, BaseBearerTokenAuthenticationProvider } from '@microsoft/kiota-abstractions';
import { HeadersInspectionOptions } from '@microsoft/kiota-http-fetchlibrary';

/** Graph's fixed id of a user's password authentication method. */
const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';

/**
 * @param {{ graphUrl: string, getToken: () => Promise<string> }} options
 *   graphUrl: Graph's root without the version (`https://graph.microsoft.com`, or Longrun's URL).
 */
export function createHelpdesk({ graphUrl, getToken }) {
  const auth = new BaseBearerTokenAuthenticationProvider({
    getAuthorizationToken: () => getToken(),
    getAllowedHostsValidator: () => new AllowedHostsValidator(new Set([new URL(graphUrl).hostname])),
  });
  // The default adapter carries the SDK's middleware, whose RetryHandler honours 429 + Retry-After.
  const adapter = new GraphRequestAdapter(auth);
  adapter.baseUrl = `${graphUrl}/v1.0`;
  const graph = createGraphServiceClient(adapter);

  /** Starts a reset; answers the operation id and, when Graph chose it, the new password. */
  async function startReset(user, newPassword) {
    const headers = new HeadersInspectionOptions({ inspectResponseHeaders: true });
    const response = await graph.users
      .byUserId(user)
      .authentication.methods.byAuthenticationMethodId(PASSWORD_METHOD_ID)
      .resetPassword.post(newPassword ? { newPassword } : {}, { options: [headers] });
    const location = [...(headers.getResponseHeaders().get('Location') ?? [])][0];
    if (!location) throw new Error('resetPassword answered without a Location header');
    return {
      operationId: decodeURIComponent(new URL(location).pathname.split('/').pop()),
      newPassword: response?.newPassword ?? newPassword,
    };
  }

  /**
   * Resets `user`'s password and waits for the outcome.
   * @returns {Promise<{ status: 'succeeded' | 'failed' | 'timedOut', statusDetail?: string, operationId: string, newPassword?: string }>}
   */
  async function resetPassword(user, { newPassword, pollIntervalMs = 200, timeoutMs = 30_000 } = {}) {
    const started = await startReset(user, newPassword);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const op = await graph.users.byUserId(user).authentication.operations.byLongRunningOperationId(started.operationId).get();
      if (op?.status === 'succeeded' || op?.status === 'failed')
        return { ...started, status: op.status, statusDetail: op.statusDetail ?? undefined };
      if (Date.now() > deadline) return { ...started, status: 'timedOut' };
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    }
  }

  return { startReset, resetPassword };
}
