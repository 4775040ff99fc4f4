import { createHash, randomBytes } from 'node:crypto';

/** A fresh unguessable value (authorization code, device code, refresh token): 256 random bits. */
export const newOpaqueSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** What the database keeps of a code or token: its SHA-256 (the value itself is never stored). */
export const secretHash = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** Entra's timestamps in error texts: `2026-01-01 12:00:00Z`. */
export const entraTimestamp = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
