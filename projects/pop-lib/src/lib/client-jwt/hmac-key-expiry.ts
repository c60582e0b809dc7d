import { readClaims } from '../tokens/read-claims';

/** Longest an HMAC key record is kept: for a token without `exp`, or with a later one. */
export const MAX_HMAC_KEY_RECORD_MS = 24 * 60 * 60 * 1000;
/**
 * Shortest: a token the local clock already sees as expired may still be accepted by a server
 * whose clock is behind, and a new key for it would be refused (the token is bound to this one).
 */
export const MIN_HMAC_KEY_RECORD_MS = 5 * 60 * 1000;

/**
 * When the HMAC key record of `accessToken` expires (ms since the epoch): the token's `exp`,
 * read unverified and only to bound storage, kept within [now + 5 min, now + 24 h].
 * Opaque tokens (not a JWT, or no numeric `exp`) get the 24 h cap.
 */
export function hmacKeyRecordExpiry(accessToken: string, now: number): number {
  const exp = expOf(accessToken);
  const until = exp === undefined ? now + MAX_HMAC_KEY_RECORD_MS : exp * 1000;
  return Math.min(Math.max(until, now + MIN_HMAC_KEY_RECORD_MS), now + MAX_HMAC_KEY_RECORD_MS);
}

function expOf(accessToken: string): number | undefined {
  try {
    const { exp } = readClaims(accessToken);
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
  } catch {
    // An opaque access token: nothing to read.
    return undefined;
  }
}
