import type { OperationStatus } from '../operations/model.js';

/** One minute of the console chart. */
export interface MinuteFigures {
  /** Start of the minute, epoch ms. */
  t: number;
  counts: Record<OperationStatus, number>;
  /** Completion time (created → finished) percentiles of operations that finished in this minute, ms; null when none did. */
  p50: number | null;
  p90: number | null;
  p99: number | null;
  finished: number;
}

export interface ConsoleStats {
  from: number;
  to: number;
  minutes: MinuteFigures[];
  overall: { p50: number | null; p90: number | null; p99: number | null; finished: number };
}

/** Nearest-rank percentile of sorted values (`p` in 0..100); null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/**
 * Turns per-minute counts (by creation minute and current status) and finished durations into
 * one row per minute from `from` to `to`, empty minutes included.
 */
export function buildStats(
  from: number,
  to: number,
  perMinute: ReadonlyArray<{ minute: number; status: OperationStatus; n: number }>,
  durations: ReadonlyArray<{ finishedAt: number; ms: number }>,
): ConsoleStats {
  const first = Math.floor(from / 60000);
  const last = Math.floor(to / 60000);
  const minutes: MinuteFigures[] = [];
  const byMinute = new Map<number, number[]>();
  for (const d of durations) {
    const m = Math.floor(d.finishedAt / 60000);
    const list = byMinute.get(m) ?? [];
    list.push(d.ms);
    byMinute.set(m, list);
  }
  for (let m = first; m <= last; m++) {
    const counts: Record<OperationStatus, number> = { notStarted: 0, running: 0, succeeded: 0, failed: 0 };
    for (const r of perMinute) if (r.minute === m && r.status in counts) counts[r.status] += r.n;
    const ms = (byMinute.get(m) ?? []).sort((a, b) => a - b);
    minutes.push({ t: m * 60000, counts, p50: percentile(ms, 50), p90: percentile(ms, 90), p99: percentile(ms, 99), finished: ms.length });
  }
  const all = durations.map((d) => d.ms).sort((a, b) => a - b);
  return {
    from,
    to,
    minutes,
    overall: { p50: percentile(all, 50), p90: percentile(all, 90), p99: percentile(all, 99), finished: all.length },
  };
}
