/**
 * A one-line progress report for long CLI work (`tenant import`, `tenant generate`): redrawn in
 * place on a terminal, silent when the stream is not a TTY (pipes, CI logs, files), so scripts
 * that read the output see only the result lines.
 */

/** What the reporter writes to: `process.stderr` in the CLI, a fake in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  /** `done` of `total` units of `step`; redrawn at most every `intervalMs`, always for a new step and at a step's end. */
  update(step: string, done: number, total: number): void;
  /** Clears the line: the command's own summary follows. */
  finish(): void;
}

const CLEAR_LINE = '\r\x1b[2K';

export function createProgress(stream: ProgressStream, options: { now?: () => number; intervalMs?: number } = {}): Progress {
  if (!stream.isTTY) return { update: () => undefined, finish: () => undefined };
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 100;
  let lastDrawn = -Infinity;
  let lastStep: string | undefined;
  let drawn = false;
  return {
    update(step, done, total) {
      const t = now();
      // A new step and the end of one are always shown; in between, one redraw per interval.
      if (step === lastStep && done < total && t - lastDrawn < intervalMs) return;
      lastDrawn = t;
      lastStep = step;
      drawn = true;
      const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
      stream.write(`${CLEAR_LINE}${step}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${percent}%)`);
    },
    finish() {
      if (drawn) stream.write(CLEAR_LINE);
      drawn = false;
    },
  };
}
