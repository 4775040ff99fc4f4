/**
 * Fails a test file that leaves a store, server or child process open. Every test file runs in
 * its own process (node --test), so a root-level `after` hook sees what the whole file left:
 * - stores, services and child processes opened through test/support are tracked by name;
 * - as a backstop for anything opened directly, the process's own handles are checked: a TCP
 *   server, a TCP socket (a PostgreSQL pool's connections) or a child process still open fails.
 * Imported by test/support/store.ts and harness.ts, so every suite that uses them is guarded.
 */
import type { ChildProcess } from 'node:child_process';
import { after } from 'node:test';
import { waitFor } from './wait-for.js';

interface Tracked {
  label: string;
  open: () => boolean;
}

const tracked = new Set<Tracked>();

/** Tracks an object with a `close()`: open until `close` is called (resolved or not). */
export function trackClosable<T extends { close(): unknown }>(label: string, target: T): T {
  const entry: Tracked = { label, open: () => true };
  const close: () => unknown = target.close.bind(target);
  Object.defineProperty(target, 'close', {
    configurable: true,
    writable: true,
    value: () => {
      tracked.delete(entry);
      return close();
    },
  });
  tracked.add(entry);
  return target;
}

/** Tracks a child process: open until it has exited. */
export function trackChild<T extends ChildProcess>(label: string, child: T): T {
  const entry: Tracked = { label, open: () => child.exitCode === null && child.signalCode === null };
  child.once('exit', () => tracked.delete(entry));
  tracked.add(entry);
  return child;
}

/** Handle types that mean something is still open (timers and stdio pipes of this process are not). */
const LEAKY_RESOURCES = new Set(['TCPServerWrap', 'TCPSocketWrap', 'ProcessWrap']);

const leakyResources = () => process.getActiveResourcesInfo().filter((r) => LEAKY_RESOURCES.has(r));

after(async () => {
  const leaks = [...tracked].filter((t) => t.open()).map((t) => t.label);
  // Sockets and processes that are closing disappear within a few ticks: wait for them briefly.
  const stillOpen = await waitFor(() => (leakyResources().length === 0 ? [] : undefined), { timeoutMs: 2_000 }).catch(() =>
    leakyResources(),
  );
  if (leaks.length > 0 || stillOpen.length > 0) {
    const named = leaks.length > 0 ? `left open: ${leaks.join(', ')}` : '';
    const handles = stillOpen.length > 0 ? `open handles: ${stillOpen.join(', ')}` : '';
    throw new Error(`leak guard: ${process.argv[1] ?? 'this test file'} ${[named, handles].filter(Boolean).join('; ')}`);
  }
});
