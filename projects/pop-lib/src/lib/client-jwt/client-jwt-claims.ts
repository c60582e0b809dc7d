import { CompactSign } from 'jose/jws/compact/sign';
import { CLIENT_JWT_ALG, CLIENT_JWT_TYP, type ClientJwtClaims, type ClientJwtHeader, MAX_CLIENT_JWT_LIFETIME_SECONDS, MAX_HTM_LENGTH, MAX_HTU_LENGTH } from '../../protocol';
import { PopError } from '../errors/pop-error';
import type { HmacSigningKey } from './hmac-key';

/** Anything that yields nonces (`NonceGenerator` or a test double). */
export interface NonceSource {
  generateNonce(): number;
}

/** Anything that yields millisecond timestamps (`TimestampGenerator` or a test double). */
export interface TimestampSource {
  generateTimestamp(): number;
}

/** What one ClientJWT says, apart from its fresh nonce and timestamp (already checked by the caller). */
export interface ClientJwtContent {
  accessToken: string;
  htm: string;
  htu: string;
  lifetimeSeconds: number;
  /** The `hmac_key` JWE, while the server is not known to have the key. */
  hmacKeyJwe?: string;
}

/** RFC 9110 method token. */
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const encoder = new TextEncoder();

/** `htm` of a request method: the method upper-cased, if it is an RFC 9110 method token. */
export function toHtm(method: unknown): string {
  if (typeof method !== 'string' || method.length > MAX_HTM_LENGTH || !METHOD.test(method)) {
    throw new PopError('signing_failed', 'The request method is not an HTTP method token.');
  }
  return method.toUpperCase();
}

/** `seconds` if it is a ClientJWT lifetime the protocol allows (an integer from 1 to 120), else `config_invalid`. */
export function checkLifetime(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_CLIENT_JWT_LIFETIME_SECONDS) {
    throw new PopError('config_invalid', `A ClientJWT lifetime must be an integer from 1 to ${MAX_CLIENT_JWT_LIFETIME_SECONDS} seconds.`);
  }
  return seconds;
}

/** `htu` as `toHtu`/`htuOf` gave it: a URL that cannot be one (not http(s), too long) cannot be signed. */
export function requireHtu(htu: string | undefined): string {
  if (htu === undefined) {
    throw new PopError('signing_failed', `The request URL is not an absolute http(s) URL of at most ${MAX_HTU_LENGTH} characters (origin and path), so it cannot be bound into a ClientJWT.`);
  }
  return htu;
}

/**
 * The claims of one ClientJWT (protocol section 3), with a fresh nonce and timestamp. Throws
 * `signing_failed` when a generator gives an unusable value (a test double, or a broken clock).
 */
export function clientJwtClaims(content: ClientJwtContent, nonces: NonceSource, clock: TimestampSource): ClientJwtClaims {
  const nonce = nonces.generateNonce();
  if (!Number.isSafeInteger(nonce) || nonce < 0) {
    throw new PopError('signing_failed', 'The nonce generator did not return a non-negative safe integer.');
  }
  const timestamp = clock.generateTimestamp();
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new PopError('signing_failed', 'The timestamp generator did not return a non-negative integer of milliseconds.');
  }
  const claims: ClientJwtClaims = {
    access_token: content.accessToken,
    nonce,
    timestamp,
    // Floor, so exp - timestamp never exceeds the lifetime the server allows.
    exp: Math.floor(timestamp / 1000) + content.lifetimeSeconds,
    htm: content.htm,
    htu: content.htu,
  };
  if (content.hmacKeyJwe !== undefined) claims.hmac_key = content.hmacKeyJwe;
  return claims;
}

/**
 * The compact ClientJWT: `claims` as UTF-8 JSON, signed HS256 with jose `CompactSign`, passed
 * to `then` (a signing failure is `signing_failed`). Not an `async` function, and one promise
 * reaction for both outcomes, on purpose: every hop costs measurably per request.
 */
export function signClientJwt<T>(claims: ClientJwtClaims, signingKey: HmacSigningKey, then: (jwt: string) => T): Promise<T> {
  const header = { alg: CLIENT_JWT_ALG, typ: CLIENT_JWT_TYP, kid: signingKey.kid } satisfies ClientJwtHeader;
  return new CompactSign(encoder.encode(JSON.stringify(claims))).setProtectedHeader(header).sign(signingKey.key).then(then, signingFailed);
}

function signingFailed(cause: unknown): never {
  throw new PopError('signing_failed', 'The ClientJWT could not be signed.', { cause });
}
