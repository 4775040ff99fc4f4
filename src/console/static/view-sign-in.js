// @ts-check
// The sign-in form: the server performs the password grant (the client secret never reaches the
// browser); `onSignedIn` receives the session.
import { ApiError, consoleApi } from './api.js';
import { h, message } from './ui.js';

export function renderSignIn(main, notice, { onSignedIn, showBanner }) {
  const errorBox = h('div', { id: 'sign-in-error' });
  if (notice) errorBox.append(message('info', notice));
  const form = h(
    'form.signin',
    { novalidate: true, 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title', tabindex: '-1' }, 'Sign in'),
    h(
      'p.hint',
      {},
      'Sign in with your directory account. Operators need a role such as Privileged Role Administrator or Authentication Administrator.',
    ),
    errorBox,
    h(
      'div.field',
      {},
      h('label', { for: 'username' }, 'User name'),
      h('input', {
        id: 'username',
        name: 'username',
        type: 'email',
        autocomplete: 'username',
        required: true,
        placeholder: 'name@contoso.onmicrosoft.com',
      }),
    ),
    h(
      'div.field',
      {},
      h('label', { for: 'password' }, 'Password'),
      h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    ),
    h(
      'details',
      {},
      h('summary', {}, 'Other tenant or application'),
      h(
        'div.field',
        {},
        h('label', { for: 'tenant' }, 'Tenant (domain or id)'),
        h('input', { id: 'tenant', name: 'tenant', autocomplete: 'off', 'aria-describedby': 'tenant-hint' }),
        h('p.hint', { id: 'tenant-hint' }, 'Defaults to the domain of the user name.'),
      ),
      h(
        'div.field',
        {},
        h('label', { for: 'clientId' }, 'Public client id'),
        h('input', { id: 'clientId', name: 'clientId', autocomplete: 'off', 'aria-describedby': 'client-hint' }),
        h('p.hint', { id: 'client-hint' }, 'Defaults to the demo client; another application must be a public client (no secret).'),
      ),
    ),
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    if (!data.username || !data.password) {
      errorBox.replaceChildren(message('error', 'Enter your user name and password.'));
      return;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    button.textContent = 'Signing in…';
    try {
      onSignedIn(await consoleApi.signIn(data));
    } catch (err) {
      errorBox.replaceChildren(message('error', err.message));
      if (err instanceof ApiError && err.unreachable) showBanner('The Longrun server cannot be reached.');
      form.querySelector('#password').value = '';
      form.querySelector('#password').focus();
    } finally {
      button.disabled = false;
      button.textContent = 'Sign in';
    }
  });
  main.replaceChildren(form);
  form.querySelector('#username').focus();
}
