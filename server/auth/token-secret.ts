/**
 * Token secrets: `rba_` + 43 base64url characters (256 random bits). Only their SHA-256 is stored.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_PREFIX = 'rba_';

export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with a configured one (the bootstrap admin token). */
export function secretsEqual(presented: string, expected: string): boolean {
  const a = Buffer.from(hashTokenSecret(presented), 'hex');
  const b = Buffer.from(hashTokenSecret(expected), 'hex');
  return timingSafeEqual(a, b);
}
