import { hash, randomBytes } from 'node:crypto';

/** A new session's bearer token: 256 random bits, URL-safe. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A token as sessions are stored and cached: its SHA-256, so the table alone opens no session.
 * The one-shot hash, as every request of a session pays it (a third of createHash's cost).
 */
export function sessionTokenHash(token: string): string {
  return hash('sha256', token, 'hex');
}
