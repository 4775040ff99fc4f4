/**
 * ISO 8601 durations as Graph's `Edm.Duration` carries them (`P30D`, `PT10S`, `P1DT2H`).
 *
 * Only days, hours, minutes and seconds are accepted: a year or a month has no fixed length, so
 * `P1M` could mean 28 to 31 days; weeks are not part of `Edm.Duration` (xs:dayTimeDuration).
 */

export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60 * MS_PER_SECOND;
export const MS_PER_HOUR = 60 * MS_PER_MINUTE;
export const MS_PER_DAY = 24 * MS_PER_HOUR;

/** The result of parsing a duration: milliseconds, or why the text is not a usable duration. */
export type DurationParseResult = { ok: true; ms: number } | { ok: false; message: string };

const DAY_TIME_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Parses `P[nD][T[nH][nM][n[.f]S]]` into milliseconds (fractions of a second are rounded). */
export function parseIsoDuration(text: string): DurationParseResult {
  if (text.startsWith('-')) {
    return { ok: false, message: `'${text}' is negative; a duration here must not be negative.` };
  }
  const datePart = text.split('T')[0] ?? '';
  if (/^P.*[YMW]/.test(datePart)) {
    return {
      ok: false,
      message:
        `'${text}' uses years, months or weeks, which this service does not accept ` +
        `(a month has no fixed length); express it in days, e.g. P30D.`,
    };
  }
  const match = DAY_TIME_DURATION.exec(text);
  if (match === null || text === 'P' || text.endsWith('T')) {
    return {
      ok: false,
      message: `'${text}' is not an ISO 8601 duration such as P30D, PT10S or P1DT2H.`,
    };
  }
  const [, days, hours, minutes, seconds] = match;
  const ms =
    Number(days ?? 0) * MS_PER_DAY +
    Number(hours ?? 0) * MS_PER_HOUR +
    Number(minutes ?? 0) * MS_PER_MINUTE +
    Math.round(Number(seconds ?? 0) * MS_PER_SECOND);
  if (!Number.isSafeInteger(ms)) {
    return { ok: false, message: `'${text}' is too long to be a duration.` };
  }
  return { ok: true, ms };
}

/**
 * The canonical text for a number of milliseconds, the way .NET writes a TimeSpan in Graph
 * responses: largest units first, zero units left out, `PT0S` for zero.
 */
export function formatIsoDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new RangeError(`formatIsoDuration: expected a non-negative integer, got ${ms}`);
  }
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  const hours = Math.floor(rest / MS_PER_HOUR);
  rest -= hours * MS_PER_HOUR;
  const minutes = Math.floor(rest / MS_PER_MINUTE);
  rest -= minutes * MS_PER_MINUTE;
  const wholeSeconds = Math.floor(rest / MS_PER_SECOND);
  const millis = rest - wholeSeconds * MS_PER_SECOND;

  const datePart = days > 0 ? `${days}D` : '';
  let timePart = '';
  if (hours > 0) timePart += `${hours}H`;
  if (minutes > 0) timePart += `${minutes}M`;
  if (wholeSeconds > 0 || millis > 0) {
    const fraction = millis > 0 ? `.${String(millis).padStart(3, '0').replace(/0+$/, '')}` : '';
    timePart += `${wholeSeconds}${fraction}S`;
  }
  if (datePart === '' && timePart === '') return 'PT0S';
  return `P${datePart}${timePart === '' ? '' : `T${timePart}`}`;
}

/** Milliseconds of a duration already validated; throws if it is not (a programming error). */
export function durationMs(text: string): number {
  const parsed = parseIsoDuration(text);
  if (!parsed.ok) throw new RangeError(parsed.message);
  return parsed.ms;
}

/** A day count for display: `30`, `1.5`; at most two decimals. */
export function formatDays(ms: number): string {
  return String(Math.round((ms / MS_PER_DAY) * 100) / 100);
}
