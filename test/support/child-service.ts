import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trackChild } from './leak-guard.js';

const BIN = fileURLToPath(new URL('../../../bin/longrun.js', import.meta.url));

export interface RunningChild {
  child: ChildProcess;
  /** The URL from the `longrun listening on URL` line (serve only). */
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `longrun serve` arguments for the crash and outage tests: any free port, short leases so a
 * killed node's work is taken over quickly, and a quiet log.
 */
export function serveArgs(
  db: string,
  { demo = true, concurrency, leaseSeconds, logLevel }: { demo?: boolean; concurrency: number; leaseSeconds: number; logLevel: string },
): string[] {
  return [
    'serve',
    '--db',
    db,
    '--port',
    '0',
    ...(demo ? [] : ['--no-demo']),
    '--concurrency',
    String(concurrency),
    '--lease-seconds',
    String(leaseSeconds),
    '--log-level',
    logLevel,
  ];
}

/**
 * Starts `longrun <args>` as a child process and resolves once it printed its first line
 * (for serve: `longrun listening on URL`).
 */
export function startLongrun(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunningChild> {
  const child = trackChild(
    `longrun ${args.join(' ')}`,
    spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const first = out.split('\n')[0];
      if (out.includes('\n') && first !== undefined) {
        const url = first.startsWith('longrun listening on ') ? first.slice('longrun listening on '.length) : '';
        resolve({ child, url, stdout: () => out, stderr: () => err, exited });
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    void exited.then(({ code }) => reject(new Error(`longrun ${args.join(' ')} exited (${code}) before it was ready: ${err}`)));
  });
}

/** Runs `longrun <args>` to completion. */
export function runLongrun(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = trackChild(
    `longrun ${args.join(' ')}`,
    spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
