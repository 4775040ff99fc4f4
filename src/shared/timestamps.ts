/**
 * Graph writes DateTimeOffset values as ISO 8601 UTC with 7 fractional digits
 * (`2023-06-09T22:50:41.5414467Z`, .NET ticks). We keep milliseconds, so the last four
 * digits are always zero.
 */
export function toGraphTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // …T22:50:41.541Z, or ±YYYYYY-… outside years 0–9999
  return iso.slice(0, -1) + '0000Z';
}

/** Directory dates (a user's or a password method's `createdDateTime`): seconds precision with `Z`. */
export function toDirectoryTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** `innerError.date` in Graph's error envelope: seconds precision, no fraction, no `Z`. */
export function toErrorDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** Parses an ISO 8601 date-time; returns undefined when it is not one. */
export function parseIsoTimestamp(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
