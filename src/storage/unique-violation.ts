/**
 * Recognises a primary-key or unique-constraint violation from either backend, so callers can
 * treat "someone else inserted it first" as a race they lost rather than as a fault.
 */
const UNIQUE_VIOLATION_CODES = new Set([
  // PostgreSQL: unique_violation (covers primary keys).
  '23505',
  // better-sqlite3 extended result codes.
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  'SQLITE_CONSTRAINT_UNIQUE',
]);

/** Whether `error` is a duplicate-key error raised by the database driver. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNIQUE_VIOLATION_CODES.has(code);
}
