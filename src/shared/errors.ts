/** Turns anything that was thrown into an Error, keeping the original as its cause. */
export function coerceError(raw: unknown): Error {
  if (raw instanceof Error) return raw;
  return new Error(typeof raw === 'string' ? raw : 'Non-error value thrown', { cause: raw });
}
