import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { EntraError, entraErrorBody } from './entra-errors.js';
import { issueAuthorizationCode, type AuthorizeResponse } from './flows/authorization-code.js';
import {
  AUTHORIZE_PARAMETERS,
  AuthorizeError,
  redirectUriMismatch,
  validateAuthorizeRequest,
  type AuthorizeRequest,
} from './flows/authorize-request.js';
import { decideDeviceCode, findPendingDeviceCode } from './flows/device-code.js';
import { signInInteractively, type InteractiveSignIn } from './interactive-sign-in.js';
import { entraTimestamp } from './opaque-secrets.js';
import { isMultiTenantAuthority, type SignInContext } from './sign-in-context.js';
import { changePasswordPage, deviceCodeEntryPage, errorPage, formPostPage, messagePage, signInPage } from './sign-in-page.js';

type Form = Record<string, string | undefined>;
type AuthorityParams = { Params: { tenant: string } };

/**
 * The authority's browser pages (docs/authentication.md): `/{tenant}/oauth2/v2.0/authorize`
 * (sign-in page, authorization code), `/devicelogin`, `/{tenant}/oauth2/v2.0/logout`. Routes
 * only parse and render; the steps are in flows/ and interactive-sign-in.ts. Pages are
 * never cached or framed, and send no Referer (codes travel in URLs).
 */
export function registerSignInRoutes(app: App, ctx: SignInContext): void {
  const { clock, publicUrl } = app.deps;

  app.fastify.register(async (scope: FastifyInstance) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      const form = Object.create(null) as Form;
      for (const [k, v] of new URLSearchParams(body as string)) if (!Object.hasOwn(form, k)) form[k] = v;
      done(null, form);
    });

    scope.setErrorHandler(async (error, request, reply) => {
      if (error instanceof EntraError) return sendError(request, reply, error);
      const status = (error as { statusCode?: number }).statusCode;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        return sendPage(reply, errorPage('The request is not valid.', details(request)), 400);
      }
      throw error;
    });

    const authorize = async (request: FastifyRequest<AuthorityParams>, reply: FastifyReply, form: Form) => {
      const action = `${publicUrl}/${encodeURIComponent(request.params.tenant)}/oauth2/v2.0/authorize`;
      let authz: AuthorizeRequest;
      try {
        authz = await validateAuthorizeRequest(ctx, request.params.tenant, form);
      } catch (e) {
        if (e instanceof AuthorizeError) return sendAuthorizeError(request, reply, e);
        throw e;
      }
      const carry = Object.fromEntries(AUTHORIZE_PARAMETERS.map((k) => [k, form[k]]));
      const appName = authz.apps[0]!.displayName;
      if (request.method === 'GET' || form.username === undefined) {
        return sendPage(reply, signInPage({ action, appName, carry, username: authz.loginHint }));
      }
      const outcome = await signInInteractively(ctx, {
        tenant: authz.tenant,
        clientId: authz.clientId,
        username: form.username,
        password: form.password ?? '',
        newPassword: form.newPassword,
        confirmPassword: form.confirmPassword,
      });
      if (outcome.kind !== 'signedIn') return sendStep(reply, outcome, { action, appName, carry, username: form.username });
      // On a multi-tenant authority the app is checked again in the user's own tenant.
      if (!outcome.app.redirectUris.includes(authz.redirectUri)) {
        return sendError(request, reply, redirectUriMismatch(authz.redirectUri, authz.clientId));
      }
      return sendAuthorizeResponse(reply, await issueAuthorizationCode(ctx, authz, outcome.tenant, outcome.user));
    };
    scope.get<AuthorityParams>('/:tenant/oauth2/v2.0/authorize', (request, reply) => authorize(request, reply, request.query as Form));
    scope.post<AuthorityParams>('/:tenant/oauth2/v2.0/authorize', (request, reply) =>
      authorize(request, reply, (request.body ?? {}) as Form),
    );

    scope.get('/devicelogin', async (_request, reply) => sendPage(reply, deviceCodeEntryPage(`${publicUrl}/devicelogin`)));

    scope.post('/devicelogin', async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      const found = await findPendingDeviceCode(ctx, form.otc ?? '');
      if ('error' in found) return sendPage(reply, deviceCodeEntryPage(`${publicUrl}/devicelogin`, found.error), 400);
      return sendPage(
        reply,
        signInPage({ action: `${publicUrl}/devicelogin/signin`, appName: found.appName, carry: { otc: form.otc }, cancellable: true }),
      );
    });

    scope.post('/devicelogin/signin', async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      const found = await findPendingDeviceCode(ctx, form.otc ?? '');
      if ('error' in found) return sendPage(reply, deviceCodeEntryPage(`${publicUrl}/devicelogin`, found.error), 400);
      const { code, appName } = found;
      if (form.action === 'cancel') {
        await decideDeviceCode(ctx, code, { status: 'declined' });
        return sendPage(reply, messagePage(appName, 'You cancelled the sign-in. You may now close this window.'));
      }
      const tenant = isMultiTenantAuthority(code.authority) ? undefined : await ctx.store.directory.findTenant(code.authority);
      const outcome = await signInInteractively(ctx, {
        tenant,
        clientId: code.clientId,
        username: form.username ?? '',
        password: form.password ?? '',
        newPassword: form.newPassword,
        confirmPassword: form.confirmPassword,
      });
      const step = {
        action: `${publicUrl}/devicelogin/signin`,
        appName,
        carry: { otc: form.otc },
        username: form.username,
        cancellable: true,
      };
      if (outcome.kind !== 'signedIn') return sendStep(reply, outcome, step);
      if (!(await decideDeviceCode(ctx, code, { status: 'approved', tenantId: outcome.tenant.id, userId: outcome.user.id }))) {
        return sendPage(
          reply,
          deviceCodeEntryPage(`${publicUrl}/devicelogin`, "That code didn't work. Check the code and try again."),
          400,
        );
      }
      return sendPage(
        reply,
        messagePage(appName, `You have signed in to the ${appName} application on your device. You may now close this window.`),
      );
    });

    scope.get<AuthorityParams>('/:tenant/oauth2/v2.0/logout', async (request, reply) => {
      const { post_logout_redirect_uri: target, client_id: clientId } = request.query as Form;
      // Longrun keeps no browser session, so there is nothing to end; a URI registered on the named client gets the browser back.
      const registered =
        target && clientId && (await ctx.store.directory.findApplicationInAnyTenant(clientId)).some((a) => a.redirectUris.includes(target));
      if (registered) return reply.redirect(target, 302);
      return sendPage(reply, messagePage('You signed out of your account', "It's a good idea to close all browser windows."));
    });
  });

  function details(request: FastifyRequest) {
    return { requestId: request.id, correlationId: request.clientRequestId || request.id, timestamp: entraTimestamp(clock.now()) };
  }

  function sendError(request: FastifyRequest, reply: FastifyReply, error: EntraError): FastifyReply {
    request.log.info({ error: error.error, code: error.aadsts }, 'sign-in request refused');
    return sendPage(reply, errorPage(error.message, details(request)), 400);
  }

  function sendAuthorizeError(request: FastifyRequest, reply: FastifyReply, e: AuthorizeError): FastifyReply {
    if (!e.redirect) return sendError(request, reply, e.entra);
    const body = entraErrorBody(e.entra, {
      now: clock.now(),
      traceId: request.id,
      correlationId: request.clientRequestId || request.id,
      publicUrl,
    });
    const params: Record<string, string> = { error: body.error, error_description: body.error_description, error_uri: body.error_uri };
    if (e.redirect.state !== undefined) params.state = e.redirect.state;
    return sendAuthorizeResponse(reply, { redirectUri: e.redirect.uri, mode: e.redirect.mode, params });
  }
}

function sendStep(
  reply: FastifyReply,
  outcome: Exclude<InteractiveSignIn, { kind: 'signedIn' }>,
  form: { action: string; appName: string; carry: Form; username?: string | undefined; cancellable?: boolean },
): FastifyReply {
  if (outcome.kind === 'changePassword') return sendPage(reply, changePasswordPage({ ...form, error: outcome.error }));
  return sendPage(reply, signInPage({ ...form, error: outcome.message }), 400);
}

function sendAuthorizeResponse(reply: FastifyReply, response: AuthorizeResponse): FastifyReply {
  if (response.mode === 'form_post') return sendPage(reply, formPostPage(response.redirectUri, response.params));
  const url = new URL(response.redirectUri);
  if (response.mode === 'fragment') url.hash = new URLSearchParams(response.params).toString();
  else for (const [k, v] of Object.entries(response.params)) url.searchParams.append(k, v);
  reply.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer');
  return reply.redirect(url.href, 302);
}

function sendPage(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header('Pragma', 'no-cache')
    .header('X-Frame-Options', 'DENY')
    .header('Content-Security-Policy', "frame-ancestors 'none'")
    .header('Referrer-Policy', 'no-referrer')
    .send(html);
}
