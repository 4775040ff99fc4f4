// @ts-check
// The Longrun operator console: a small single-page app (hash routes), plain ES modules. This is
// the shell (session, banner, live events, routing); each view is its own file (view-*.js).
import { ApiError, consoleApi, operationEvents, session } from './api.js';
import { renderControls } from './controls.js';
import { h, message } from './ui.js';
import { renderAlert, renderAlerts } from './view-alerts.js';
import { renderOperation } from './view-operation.js';
import { renderOperations } from './view-operations.js';
import { renderReset } from './view-reset.js';
import { renderSignIn } from './view-sign-in.js';

const main = document.getElementById('main');
const banner = document.getElementById('banner');

function showBanner(text, action) {
  banner.replaceChildren(h('span', {}, text), action ?? '');
  banner.hidden = false;
}
const hideBanner = () => {
  banner.hidden = true;
  banner.replaceChildren();
};

// ── session ────────────────────────────────────────────────────────────────────────────

let stopEvents = () => {};
const listeners = new Set();
let liveState = 'down';

function setWho() {
  const s = session.get();
  document.getElementById('nav').hidden = !s;
  document.getElementById('who').hidden = !s;
  document.getElementById('who-name').textContent = s ? `${s.user.name || s.user.upn} (${s.user.upn})` : '';
  if (s) {
    for (const a of /** @type {NodeListOf<HTMLAnchorElement>} */ (document.querySelectorAll('#nav a'))) {
      const view = a.dataset.view;
      a.parentElement.hidden =
        (view === 'alerts' && !s.access.readAlerts) ||
        (view === 'reset' && !s.access.resetPasswords) ||
        (view === 'controls' && !s.access.controls);
    }
  }
}

function signOut(reason) {
  stopEvents();
  stopEvents = () => {};
  session.clear();
  void consoleApi.signOut();
  setWho();
  hideBanner();
  showSignIn(reason);
}

/** Any call's failure: an expired token signs out; an unreachable server shows the banner. */
function handleError(err, where) {
  if (err instanceof ApiError && err.expired) {
    signOut('Your session has expired or is no longer valid. Sign in again.');
    return null;
  }
  if (err instanceof ApiError && err.unreachable) {
    showBanner('The Longrun server cannot be reached.', h('button.secondary', { type: 'button', onclick: () => route() }, 'Try again'));
  }
  const text = err instanceof Error ? err.message : String(err);
  const box = message('error', text);
  where?.replaceChildren(box);
  return box;
}

function startEvents(since) {
  stopEvents();
  let closed = false;
  const stop = operationEvents(since, {
    onOperation: (row) => {
      for (const l of listeners) l(row);
    },
    onResync: () => {
      for (const l of listeners) l(null);
    },
    onExpired: () => signOut('Your session has expired. Sign in again.'),
    onState: (state) => {
      liveState = state;
      for (const el of document.querySelectorAll('.live')) renderLive(el);
      if (state === 'live') hideBanner();
      else if (!closed) showBanner('Live updates interrupted: the server cannot be reached. Reconnecting…');
    },
    onClosed: async () => {
      closed = true;
      try {
        await consoleApi.me();
        showBanner(
          'Live updates stopped.',
          h(
            'button.secondary',
            {
              type: 'button',
              onclick: () => {
                hideBanner();
                startEvents(Date.now() - 60_000);
              },
            },
            'Reconnect',
          ),
        );
      } catch (err) {
        handleError(err);
      }
    },
  });
  stopEvents = () => {
    closed = true;
    stop();
  };
}

function renderLive(el) {
  el.dataset.state = liveState;
  el.textContent = liveState === 'live' ? 'Live' : 'Not live';
}

function showSignIn(notice) {
  renderSignIn(main, notice, {
    showBanner,
    onSignedIn: (s) => {
      session.set(s);
      startEvents(s.now - 5000);
      setWho();
      hideBanner();
      if (!location.hash || location.hash === '#/' || location.hash === '#/sign-in') location.hash = '#/operations';
      else void route();
    },
  });
}

// ── routing ────────────────────────────────────────────────────────────────────────────

let cleanup = () => {};

/** What the views get from the shell. */
const ctx = {
  main,
  handleError,
  listeners,
  renderLive,
  setCleanup: (fn) => {
    cleanup = fn;
  },
};

async function route() {
  cleanup();
  cleanup = () => {};
  const s = session.get();
  if (!s) return showSignIn();
  if (s.expiresAt && s.expiresAt <= Date.now()) return signOut('Your session has expired. Sign in again.');
  const [, view = 'operations', id, sub, run] = location.hash.replace(/^#\/?/, '/').split('/');
  for (const a of /** @type {NodeListOf<HTMLAnchorElement>} */ (document.querySelectorAll('#nav a'))) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (view === 'operations' && id) await renderOperation(ctx, decodeURIComponent(id), sub === 'runs' ? Number(run) : undefined);
  else if (view === 'alerts' && id) await renderAlert(ctx, decodeURIComponent(id));
  else if (view === 'alerts') await renderAlerts(ctx);
  else if (view === 'reset') renderReset(ctx);
  else if (view === 'controls') await renderControls(main, { h, message, handleError });
  else await renderOperations(ctx);
  main.querySelector('h1')?.focus();
}

async function start() {
  document.getElementById('sign-out').addEventListener('click', () => signOut('You signed out.'));
  window.addEventListener('hashchange', () => void route());
  setWho();
  const s = session.get();
  if (s) {
    try {
      // Checks the token and renews the stream's cookie for this tab's user.
      const me = await consoleApi.me();
      session.set({ ...s, access: me.access, expiresAt: me.expiresAt });
      startEvents(me.now - 5000);
    } catch (err) {
      if (err instanceof ApiError && err.expired) return signOut('Your session has expired or is no longer valid. Sign in again.');
      handleError(err, main);
      return;
    }
  }
  await route();
}

void start();
