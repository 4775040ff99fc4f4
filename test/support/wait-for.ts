/**
 * Polls for a condition with a deadline: what a test waits on instead of a fixed sleep.
 * `check` returns a value when the condition holds (anything but undefined/false), or throws /
 * returns undefined/false while it does not yet.
 */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`${options.message ?? 'condition'} not met within ${options.timeoutMs ?? 10_000} ms${why}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 20));
  }
}
