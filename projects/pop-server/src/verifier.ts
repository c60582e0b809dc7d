/**
 * ClientJWT verification (protocol §4), framework-agnostic: give it the request's method,
 * absolute URL and Authorization header; get the inner access token (validated by the
 * application's validator) or a `VerificationError`. The checks run in the protocol's order.
 */
import { compactVerify, decodeJwt, decodeProtectedHeader, type CryptoKey, type ProtectedHeaderParameters } from 'jose';
import { parseClaims, type ClientJwtClaims } from './client-jwt-claims.ts';
import { isCompactJws } from './compact.ts';
import { decryptToBytes } from './decrypt-credential.ts';
import { VerificationError, isVerificationError } from './errors.ts';
import { HmacKeyCache, accessTokenHash, parseHmacJwk, parseRegistration, safeEqual, type KeyRegistration } from './hmac-key.ts';
import { DEFAULT_MAX_KEY_TTL_SECONDS } from './limits.ts';
import { MemoryStore } from './memory-store.ts';
import {
  CLIENT_JWT_ALG,
  CLIENT_JWT_TYP,
  DEFAULT_CLOCK_SKEW_SECONDS,
  isHmacKid,
  MAX_AUTHORIZATION_LENGTH,
  MAX_CLIENT_JWT_LIFETIME_SECONDS,
  MAX_HMAC_KEY_JWE_LENGTH,
  toHtu,
} from './protocol.ts';
import type { ServerKeys } from './server-keys.ts';
import type { PopStore } from './store.ts';

export interface VerifyRequest {
  method: string;
  /** The absolute URL the client addressed (scheme, host, path); query and fragment are ignored. */
  url: string;
  /** The `Authorization` header value. */
  authorization: string | undefined;
}

export interface AccessTokenContext {
  kid: string;
  method: string;
  url: string;
}

/** The application's check of the inner access token; throw to reject, return its claims to accept. */
export type AccessTokenValidator<T> = (accessToken: string, context: AccessTokenContext) => Promise<T> | T;

export interface VerifierOptions<T> {
  keys: ServerKeys;
  validateAccessToken: AccessTokenValidator<T>;
  /** Nonces seen (default: an in-memory store shared with `keyStore`). */
  replayStore?: PopStore;
  /** HMAC key registrations (default: the same store as `replayStore`). */
  keyStore?: PopStore;
  /** Longest accepted `exp - timestamp` (default 120 s). */
  maxLifetimeSeconds?: number;
  /** Clock tolerance for `timestamp` in the future and `exp` in the past (default 30 s). */
  skewSeconds?: number;
  /** Longest accepted Authorization header (default 16 KiB), checked before anything else. */
  maxHeaderBytes?: number;
  /** Longest HMAC key registration when the access token's `exp` is later or unknown (default 1 h). */
  maxKeyTtlSeconds?: number;
  /** Clock in epoch milliseconds, for tests. */
  now?: () => number;
}

export interface VerifiedRequest<T> {
  accessToken: string;
  /** What the access token validator returned. */
  accessTokenClaims: T;
  clientJwt: ClientJwtClaims;
  kid: string;
  /** True when this request registered its HMAC key. */
  registered: boolean;
}

export interface Verifier<T> {
  verify(request: VerifyRequest): Promise<VerifiedRequest<T>>;
}

const BEARER = /^Bearer +([^\s]+)$/i;

export function createVerifier<T>(options: VerifierOptions<T>): Verifier<T> {
  const replayStore = options.replayStore ?? options.keyStore ?? new MemoryStore();
  const keyStore = options.keyStore ?? replayStore;
  const maxHeaderBytes = options.maxHeaderBytes ?? MAX_AUTHORIZATION_LENGTH;
  const skewMs = (options.skewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000;
  const maxLifetimeMs = (options.maxLifetimeSeconds ?? MAX_CLIENT_JWT_LIFETIME_SECONDS) * 1000;
  const maxKeyTtlMs = (options.maxKeyTtlSeconds ?? DEFAULT_MAX_KEY_TTL_SECONDS) * 1000;
  const now = options.now ?? Date.now;
  const hmacKeys = new HmacKeyCache();

  async function verifyWith(token: string, k: string): Promise<ClientJwtClaims> {
    let key: CryptoKey;
    try {
      key = await hmacKeys.get(k);
    } catch (e) {
      throw invalid('HMAC key could not be imported', e);
    }
    let payload: Uint8Array;
    try {
      ({ payload } = await compactVerify(token, key, { algorithms: [CLIENT_JWT_ALG] }));
    } catch (e) {
      throw invalid('ClientJWT signature invalid', e);
    }
    return parseClaims(payload);
  }

  /** Registers kid -> key; returns the registration in force (an earlier one with the same key wins). */
  async function register(kid: string, k: string, accessToken: string): Promise<KeyRegistration> {
    const record: KeyRegistration = { k, ath: accessTokenHash(accessToken) };
    const expiresAtMs = Math.min(accessTokenExpiryMs(accessToken) ?? Infinity, now() + maxKeyTtlMs);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await store(() => keyStore.setIfAbsent(`key:${kid}`, JSON.stringify(record), expiresAtMs))) return record;
      const existing = await store(() => keyStore.get(`key:${kid}`));
      if (existing === undefined) continue; // expired between the two calls: try once more
      const registered = await store(async () => parseRegistration(existing));
      if (!safeEqual(registered.k, k)) throw invalid('kid is already registered with another key');
      return registered;
    }
    throw new VerificationError('temporarily_unavailable', 'key registration did not settle');
  }

  return {
    async verify(request) {
      // 1. Size limit before any parsing.
      const authorization = request.authorization;
      if (typeof authorization !== 'string' || authorization.length === 0) throw invalid('missing Authorization header');
      if (authorization.length > maxHeaderBytes) throw invalid('Authorization header too large');
      const token = BEARER.exec(authorization)?.[1];
      if (token === undefined) throw invalid('Authorization is not a Bearer token');

      // 2. Compact JWS, alg exactly HS256, typ client+jwt, no crit, a safe kid.
      if (!isCompactJws(token)) throw invalid('ClientJWT is not a compact JWS');
      let header: ProtectedHeaderParameters;
      let unverified: Record<string, unknown>;
      try {
        header = decodeProtectedHeader(token);
        unverified = decodeJwt(token);
      } catch (e) {
        throw invalid('ClientJWT is malformed', e);
      }
      if (header.alg !== CLIENT_JWT_ALG) throw invalid(`ClientJWT alg must be ${CLIENT_JWT_ALG}`);
      if (header.typ !== CLIENT_JWT_TYP) throw invalid(`ClientJWT typ must be ${CLIENT_JWT_TYP}`);
      if (header.crit !== undefined) throw invalid('ClientJWT crit header is not accepted');
      // jwk/jku/x5u/x5c header hints are ignored: the key comes only from hmac_key or the key store.
      const kid = header.kid;
      if (!isHmacKid(kid)) throw invalid('ClientJWT kid missing or invalid');

      // 3. Key: from hmac_key (decrypt, check, verify, register) or from the key store.
      let claims: ClientJwtClaims;
      let registration: KeyRegistration;
      const hmacKey = unverified['hmac_key'];
      const registered = hmacKey !== undefined;
      if (registered) {
        const plaintext = await decryptToBytes(hmacKey, options.keys, { errorCode: 'invalid_token', maxBytes: MAX_HMAC_KEY_JWE_LENGTH });
        const k = parseHmacJwk(plaintext, kid);
        claims = await verifyWith(token, k);
        registration = await register(kid, k, claims.access_token);
      } else {
        const stored = await store(() => keyStore.get(`key:${kid}`));
        if (stored === undefined) throw new VerificationError('unknown_hmac_key', 'HMAC key not registered; retry with hmac_key');
        registration = await store(async () => parseRegistration(stored));
        claims = await verifyWith(token, registration.k);
      }

      // 4. The access token must be the one bound to the key.
      if (!safeEqual(accessTokenHash(claims.access_token), registration.ath)) {
        throw invalid('access_token is not the one bound to this HMAC key');
      }

      // 5. Time: exp in the future, timestamp not in the future, lifetime bounded.
      const at = now();
      const expMs = claims.exp * 1000;
      if (expMs + skewMs <= at) throw invalid('ClientJWT expired');
      if (claims.timestamp > at + skewMs) throw invalid('ClientJWT timestamp is in the future');
      if (expMs <= claims.timestamp) throw invalid('ClientJWT exp is not after its timestamp');
      if (expMs - claims.timestamp > maxLifetimeMs) throw invalid('ClientJWT lifetime too long');

      // 6. Bound to this request.
      if (claims.htm !== request.method.toUpperCase()) throw invalid('htm does not match the request method');
      const requestHtu = toHtu(request.url);
      if (requestHtu === undefined || toHtu(claims.htu) !== requestHtu) {
        throw invalid('htu does not match the request URL');
      }

      // 7. Replay: kid + nonce seen at most once while the ClientJWT could be accepted.
      const fresh = await store(() => replayStore.setIfAbsent(`nonce:${kid}:${claims.nonce}`, '1', expMs + skewMs));
      if (!fresh) throw new VerificationError('replayed_nonce', 'nonce already used');

      // 8. The inner access token, checked by the application.
      let accessTokenClaims: T;
      try {
        accessTokenClaims = await options.validateAccessToken(claims.access_token, { kid, method: request.method, url: request.url });
      } catch (e) {
        if (isVerificationError(e)) throw e;
        throw invalid('access token rejected', e);
      }
      return { accessToken: claims.access_token, accessTokenClaims, clientJwt: claims, kid, registered };
    },
  };
}

/** The access token's `exp` read without verification, only to bound how long a key registration is kept. */
function accessTokenExpiryMs(accessToken: string): number | undefined {
  try {
    const { exp } = decodeJwt(accessToken);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined; // opaque access token: the maximum TTL applies
  }
}

async function store<R>(operation: () => Promise<R>): Promise<R> {
  try {
    return await operation();
  } catch (e) {
    // Fail closed: a store that cannot answer rejects the request.
    throw new VerificationError('temporarily_unavailable', 'replay store unavailable', { cause: e });
  }
}

function invalid(description: string, cause?: unknown): VerificationError {
  return new VerificationError('invalid_token', description, { cause });
}
