// Shared helpers for the benchmarks: env parsing, child servers, CPU pinning, tables.
import { spawn, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';

/**
 * CPU time (user + system, seconds) a process, or one of its threads (`tid`), has used so far,
 * from Linux's /proc; NaN where it cannot be read (another OS, a process gone or on another host).
 */
export function cpuSeconds(pid, tid) {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds of each thread of `pid`: tid → seconds (`/proc/<pid>/task`). On Node 20 every
 * thread is named `node`, so threads are told apart by what they spent, not by name.
 */
export function cpuSecondsByThread(pid) {
  const byTid = new Map();
  let tids = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byTid;
  }
  for (const tid of tids) {
    const seconds = cpuSeconds(pid, tid);
    if (Number.isFinite(seconds)) byTid.set(Number(tid), seconds); // NaN: the thread ended meanwhile
  }
  return byTid;
}

export function intEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`error: ${name} must be a non-negative integer, got '${raw}'`);
    process.exit(2);
  }
  return n;
}

export function listEnv(name, fallback) {
  const raw = process.env[name];
  if (!raw) return fallback;
  return raw.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n <= 0) {
      console.error(`error: ${name} must be a comma-separated list of positive integers, got '${raw}'`);
      process.exit(2);
    }
    return n;
  });
}

let tasksetPath;
function taskset() {
  if (tasksetPath !== undefined) return tasksetPath;
  try {
    tasksetPath = execFileSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' }).trim() || null;
  } catch {
    tasksetPath = null;
  }
  return tasksetPath;
}

/**
 * CPU pinning plan: on a machine with >= 2 CPUs and taskset available (and BENCH_PIN != 0),
 * servers get CPU 0 and the load generator (this process) gets CPU 1, so they never compete.
 */
export function pinningPlan() {
  const want = process.env.BENCH_PIN !== '0';
  const ok = want && availableParallelism() >= 2 && taskset() !== null;
  return { enabled: ok, serverCpu: 0, loadCpu: 1 };
}

export function pinSelf(cpu) {
  execFileSync(taskset(), ['-pc', String(cpu), String(process.pid)], { stdio: 'ignore' });
}

/** [command, args] running argv pinned to `cpu` with taskset, or argv as it is when cpu is undefined. */
export function tasksetPrefix(cpu, argv) {
  return cpu === undefined ? [argv[0], argv.slice(1)] : [taskset(), ['-c', String(cpu), ...argv]];
}

/** Starts a child script with an IPC channel (optionally pinned); resolves with the child and its first message. */
export function startChild(relPath, { cpu, message } = {}) {
  const script = fileURLToPath(new URL(relPath, import.meta.url));
  const [cmd, args] = tasksetPrefix(cpu, [process.execPath, script]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${relPath} exited early with code ${code}`)));
    child.once('message', (msg) => {
      child.removeAllListeners('exit');
      resolve({ child, msg });
    });
    if (message !== undefined) child.send(message);
  });
}

export function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.disconnect();
    setTimeout(() => child.kill('SIGTERM'), 2_000).unref();
  });
}

/** Prints rows (arrays of strings) as an aligned text table; the first row is the header. */
export function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
}

export const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A free loopback port, so a public URL can be known before the service is built. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
