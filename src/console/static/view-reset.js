// @ts-check
// The Password reset view.
import { graph } from './api.js';
import { h, message, opHref } from './ui.js';

/** The Password reset view: a generated password, shown once. */
export function renderReset(ctx) {
  const { main, handleError } = ctx;
  const result = h('div', { id: 'reset-result', 'aria-live': 'polite' });
  const form = h(
    'form',
    { novalidate: true },
    h(
      'div.field',
      {},
      h('label', { for: 'reset-user' }, 'User (user principal name or object id)'),
      h('input', { id: 'reset-user', name: 'user', autocomplete: 'off', required: true, 'aria-describedby': 'reset-hint' }),
      h(
        'p.hint',
        { id: 'reset-hint' },
        'Longrun generates a new password and shows it here once. It is never stored in clear, and cannot be shown again.',
      ),
    ),
    h('button', { type: 'submit' }, 'Reset password'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const user = form.querySelector('#reset-user').value.trim();
    if (!user) {
      result.replaceChildren(message('error', 'Enter the user whose password to reset.'));
      return;
    }
    const button = form.querySelector('button');
    button.disabled = true;
    result.replaceChildren(message('info', 'Resetting…'));
    try {
      const r = await graph.resetPassword(user);
      const secret = h('code.secret', { id: 'new-password' }, r.newPassword ?? '');
      result.replaceChildren(
        message(
          'ok',
          h('p', {}, `New password for ${user}:`),
          h(
            'div.row',
            {},
            secret,
            h(
              'button.secondary',
              {
                type: 'button',
                onclick: async (ev) => {
                  try {
                    await navigator.clipboard.writeText(r.newPassword);
                    ev.target.textContent = 'Copied';
                  } catch {
                    ev.target.textContent = 'Select and copy it';
                  }
                },
              },
              'Copy',
            ),
          ),
          h(
            'p',
            {},
            'It is shown once: copy it now. The reset runs as operation ',
            h('a', { href: opHref(r.operationId) }, r.operationId),
            '; the new password works once it has succeeded.',
          ),
        ),
      );
      form.reset();
    } catch (err) {
      handleError(err, result);
    } finally {
      button.disabled = false;
    }
  });
  main.replaceChildren(h('h1', { tabindex: '-1' }, 'Password reset'), form, result);
}
