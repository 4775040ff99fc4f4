// A real `longrun serve` child process, started as users start it: the CLI, request logging at
// the default level (info), stdout and stderr going to a log file (the file descriptor is the
// child's own stdout, as with `longrun serve > serve.log 2>&1`; no pipe through this process).
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tasksetPrefix } from './common.mjs';

const BIN = fileURLToPath(new URL('../../bin/longrun.js', import.meta.url));

/**
 * Starts `node [nodeArgs] bin/longrun.js serve --db <dbUrl> --port 0 --no-demo --concurrency 0 [args]`
 * (optionally pinned to one CPU) and resolves with { child, url } once it prints its address.
 */
export async function startServe({ dbUrl, logPath, cpu, nodeArgs = [], args = [] }) {
  const fd = openSync(logPath, 'a');
  const argv = [...nodeArgs, BIN, 'serve', '--db', dbUrl, '--port', '0', '--no-demo', '--concurrency', '0', ...args];
  const [cmd, cmdArgs] = tasksetPrefix(cpu, [process.execPath, ...argv]);
  const child = spawn(cmd, cmdArgs, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`longrun serve exited with ${child.exitCode}; see ${logPath}`);
    const m = /longrun listening on (\S+)/.exec(readFileSync(logPath, 'utf8'));
    if (m) return { child, url: m[1] };
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`longrun serve did not start within 30 s; see ${logPath}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGTERM, then waits for the exit (the CLI shuts down gracefully, flushing its log). */
export function stopServe(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });
}
