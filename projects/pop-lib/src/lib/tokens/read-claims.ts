import type { JWTPayload } from 'jose';
import { decodeJwt } from 'jose/jwt/decode';
import { PopError } from '../errors/pop-error';
import { MAX_TOKEN_LENGTH } from '../../protocol';

export interface ReadClaimsOptions {
  /** Longest token accepted, in characters. Default 16 KiB. */
  maxLength?: number;
}

/** Compact JWS: three base64url segments. Checked before anything is decoded. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Reads the claims of a compact JWT **without verifying its signature**. The client is
 * not the token's audience and holds no key to verify it; the claims are only used to
 * find where the resource server's key lives, and every key found that way is checked on
 * its own merits. Never use these claims for an authorisation decision.
 */
export function readClaims(token: string, options: ReadClaimsOptions = {}): JWTPayload {
  const maxLength = options.maxLength ?? MAX_TOKEN_LENGTH;
  if (typeof token !== 'string' || token.length === 0) {
    throw new PopError('token_malformed', 'The token is empty or not a string.');
  }
  if (token.length > maxLength) {
    throw new PopError('token_too_large', `The token is ${token.length} characters long; the limit is ${maxLength}.`);
  }
  if (!COMPACT_JWS.test(token)) {
    throw new PopError('token_malformed', 'The token is not a compact JWT (three base64url segments).');
  }
  try {
    return decodeJwt(token);
  } catch (cause) {
    throw new PopError('token_malformed', 'The token payload is not a base64url-encoded JSON object.', { cause });
  }
}
