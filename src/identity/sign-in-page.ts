/**
 * The HTML of the authority's pages: sign-in, "Update your password", device code entry,
 * errors, and the form_post response. Plain server-rendered forms (no script except the
 * form_post auto-submit), every value HTML-escaped. Texts follow Entra's pages.
 */

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0}
main{max-width:440px;margin:64px auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 16px}label{display:block;margin:12px 0 4px}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:6px 0;border:0;border-bottom:1px solid #666;font-size:15px}
.error{color:#e81123;margin:8px 0}.buttons{margin-top:24px;text-align:right}
button{min-width:108px;padding:6px 12px;border:0;background:#0067b8;color:#fff;font-size:15px}
button.secondary{background:#ccc;color:#000}.app{color:#555;margin-bottom:12px}`;

function layout(title: string, body: string, script = ''): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main>${script}</body></html>`;
}

const hidden = (fields: Record<string, string | undefined>): string =>
  Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');

const errorLine = (error: string | undefined): string =>
  error ? `<div class="error" role="alert" id="error">${escapeHtml(error)}</div>` : '';

export interface SignInFormInput {
  action: string;
  appName: string;
  /** Carried to the next step unchanged. */
  carry: Record<string, string | undefined>;
  username?: string | undefined;
  error?: string | undefined;
  /** Adds a Cancel button (device login: declines the code). */
  cancellable?: boolean;
}

/** Step 1: user name and password. */
export function signInPage(input: SignInFormInput): string {
  return layout(
    'Sign in to your account',
    `<h1>Sign in</h1><div class="app">to continue to ${escapeHtml(input.appName)}</div>${errorLine(input.error)}
<form method="post" action="${escapeHtml(input.action)}">${hidden(input.carry)}
<label for="username">Email address</label><input type="text" id="username" name="username" autocomplete="username" value="${escapeHtml(input.username ?? '')}" required>
<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="buttons">${input.cancellable ? '<button type="submit" name="action" value="cancel" class="secondary" formnovalidate>Cancel</button> ' : ''}<button type="submit" name="action" value="signin">Sign in</button></div>
</form>`,
  );
}

/** Step 2 after an administrator's reset: current, new and confirmed password. */
export function changePasswordPage(input: SignInFormInput): string {
  return layout(
    'Update your password',
    `<h1>Update your password</h1><p>You need to update your password because this is the first time you are signing in, or because your password has expired.</p>${errorLine(input.error)}
<form method="post" action="${escapeHtml(input.action)}">${hidden({ ...input.carry, username: input.username })}
<label for="password">Current password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<label for="newPassword">New password</label><input type="password" id="newPassword" name="newPassword" autocomplete="new-password" required>
<label for="confirmPassword">Confirm password</label><input type="password" id="confirmPassword" name="confirmPassword" autocomplete="new-password" required>
<div class="buttons"><button type="submit" name="action" value="signin">Sign in</button></div>
</form>`,
  );
}

/** Device login, step 1: the code shown by the device. */
export function deviceCodeEntryPage(action: string, error?: string): string {
  return layout(
    'Enter code',
    `<h1>Enter code</h1><p>Enter the code displayed on your app or device.</p>${errorLine(error)}
<form method="post" action="${escapeHtml(action)}"><label for="otc">Code</label><input type="text" id="otc" name="otc" autocomplete="off" required>
<div class="buttons"><button type="submit">Next</button></div></form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p id="message">${escapeHtml(message)}</p>`);
}

/** An error the browser cannot be sent back with (unknown client, unregistered redirect URI). */
export function errorPage(aadstsMessage: string, details: { requestId: string; correlationId: string; timestamp: string }): string {
  return layout(
    'Sign in',
    `<h1>Sorry, but we're having trouble signing you in.</h1><p class="error" role="alert" id="error">${escapeHtml(aadstsMessage)}</p>
<p>Request Id: ${escapeHtml(details.requestId)}<br>Correlation Id: ${escapeHtml(details.correlationId)}<br>Timestamp: ${escapeHtml(details.timestamp)}</p>`,
  );
}

/** `response_mode=form_post`: the browser posts the response to the redirect URI. */
export function formPostPage(redirectUri: string, params: Record<string, string>): string {
  return layout(
    'Working...',
    `<form method="post" action="${escapeHtml(redirectUri)}">${hidden(params)}<noscript><p>Script is disabled. Click Submit to continue.</p><button type="submit">Submit</button></noscript></form>`,
    '<script>document.forms[0].submit()</script>',
  );
}
