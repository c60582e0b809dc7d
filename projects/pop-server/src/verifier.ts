/**
 * ClientJWT verification (protocol §4), framework-agnostic: give it the request's method,
 * absolute URL and `Authorization` header; get the inner access token and what the
 * application's validator said about it, or a `VerificationError`.
 *
 * An access token is bound to the first HMAC key registered with it: the registration is one
 * record per token, `tok:{sha256(access_token)}`, written with set-if-absent, so a token copied
 * out of a captured ClientJWT cannot be registered again under the thief's key, on this
 * instance or any other sharing the store. Nothing is written to any store before the
 * signature, the times, `htm`/`htu` and the validator have passed. The validator runs when a
 * key is registered; its result travels with the registration and is reused until
 * `revalidateAfterSeconds` have passed, so a request with a registered key costs a synchronous
 * HMAC, a hash, a few comparisons and one replay-store write.
 */
import type { KeyObject } from 'node:crypto';
import { decodeJwt } from 'jose';
import { checkClaims, type ClientJwtClaims } from './client-jwt-claims.ts';
import { isCompactJws } from './compact.ts';
import { decryptHmacKey } from './decrypt-credential.ts';
import { VerificationError, type VerificationReason } from './errors.ts';
import { hs256Key, hs256Matches, splitCompactHs256, type CompactHs256 } from './hs256.ts';
import { parseHmacJwk } from './hmac-key.ts';
import { DEFAULT_MAX_KEY_TTL_SECONDS } from './limits.ts';
import { MemoryStore } from './memory-store.ts';
import { assertOptions, integerIn, isFunction, isServerKeys, isStore } from './options.ts';
import {
  CLIENT_JWT_TYP,
  DEFAULT_CLOCK_SKEW_SECONDS,
  isHmacKid,
  MAX_AUTHORIZATION_LENGTH,
  MAX_CLIENT_JWT_LIFETIME_SECONDS,
  MAX_CLOCK_SKEW_SECONDS,
  TOKEN_BOUND_TO_ANOTHER_KEY,
  toHtu,
} from './protocol.ts';
import {
  accessTokenHash,
  parseRegistration,
  RegistrationCache,
  registrationKey,
  sameKey,
  serialiseRegistration,
  type Registration,
} from './registration.ts';
import type { ServerKeys } from './server-keys.ts';
import { fromStore, type PopStore } from './store.ts';

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

/**
 * The application's check of the inner access token: throw to reject, return what the app
 * needs about the token (its claims) to accept. The result is stored with the key
 * registration (as JSON: return plain data) and reused until `revalidateAfterSeconds` pass.
 */
export type AccessTokenValidator<T> = (accessToken: string, context: AccessTokenContext) => Promise<T> | T;

export interface VerifierOptions<T> {
  /** The server's key pairs: `hmac_key` is decrypted with them. */
  keys: ServerKeys;
  validateAccessToken: AccessTokenValidator<T>;
  /** Where nonces are remembered (default: `keyStore`, else a new `MemoryStore`). */
  replayStore?: PopStore;
  /** Where key registrations are kept (default: `replayStore`). */
  keyStore?: PopStore;
  /** Longest accepted `exp - timestamp`, 1 to 120 s (default 120). */
  maxLifetimeSeconds?: number;
  /** Clock tolerance for `timestamp` in the future and `exp` in the past, 0 to 300 s (default 30). */
  skewSeconds?: number;
  /** Longest key registration when the access token's `exp` is later or unknown, 60 s to 1 day (default 1 h). */
  maxKeyTtlSeconds?: number;
  /**
   * How long the validator's result is reused for later requests with the same token, 0 s
   * (validate every request) to 1 day (default 300: a revoked token is noticed within 5 min).
   * Never beyond the token's registration.
   */
  revalidateAfterSeconds?: number;
  /** Registrations each instance keeps in memory (default 10 000; 0: ask the store every time). */
  cacheSize?: number;
  /** Clock in epoch milliseconds, for tests. */
  now?: () => number;
}

export interface VerifiedRequest<T> {
  accessToken: string;
  /** What the access token validator returned (as JSON data), now or when the key was registered. */
  accessTokenClaims: T;
  clientJwt: ClientJwtClaims;
  kid: string;
  /** True when this request carried `hmac_key` and that key is the token's registered key. */
  registered: boolean;
}

export interface Verifier<T> {
  verify(request: VerifyRequest): Promise<VerifiedRequest<T>>;
}

const DEFAULT_REVALIDATE_AFTER_SECONDS = 300;
const DEFAULT_CACHE_SIZE = 10_000;
const STORE_UNAVAILABLE = 'key or replay store unavailable';

/** Checks `options` (a `PopServerConfigError` lists every problem) and returns the verifier. */
export function createVerifier<T>(options: VerifierOptions<T>): Verifier<T> {
  assertOptions('createVerifier options', options, {
    keys: { rule: isServerKeys, required: true },
    validateAccessToken: { rule: isFunction, required: true },
    replayStore: { rule: isStore },
    keyStore: { rule: isStore },
    maxLifetimeSeconds: { rule: integerIn(1, MAX_CLIENT_JWT_LIFETIME_SECONDS) },
    skewSeconds: { rule: integerIn(0, MAX_CLOCK_SKEW_SECONDS) },
    maxKeyTtlSeconds: { rule: integerIn(60, 86_400) },
    revalidateAfterSeconds: { rule: integerIn(0, 86_400) },
    cacheSize: { rule: integerIn(0, 10_000_000) },
    now: { rule: isFunction },
  });
  const keyStore = options.keyStore ?? options.replayStore ?? new MemoryStore();
  const replayStore = options.replayStore ?? keyStore;
  const skewMs = (options.skewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000;
  const maxLifetimeMs = (options.maxLifetimeSeconds ?? MAX_CLIENT_JWT_LIFETIME_SECONDS) * 1000;
  const maxKeyTtlMs = (options.maxKeyTtlSeconds ?? DEFAULT_MAX_KEY_TTL_SECONDS) * 1000;
  const revalidateMs = (options.revalidateAfterSeconds ?? DEFAULT_REVALIDATE_AFTER_SECONDS) * 1000;
  const now = options.now ?? Date.now;
  const cache = new RegistrationCache<T>(options.cacheSize ?? DEFAULT_CACHE_SIZE);

  /** Time and request binding: `exp`, `timestamp`, lifetime, `htm`, `htu`. */
  function checkTimeAndRequest(claims: ClientJwtClaims, request: VerifyRequest, at: number): void {
    const expMs = claims.exp * 1000;
    if (expMs + skewMs <= at) throw invalid('expired', 'ClientJWT expired');
    if (claims.timestamp > at + skewMs) throw invalid('timestamp_in_future', 'ClientJWT timestamp is in the future');
    if (expMs <= claims.timestamp) throw invalid('claims_invalid', 'ClientJWT exp is not after its timestamp');
    if (expMs - claims.timestamp > maxLifetimeMs) throw invalid('lifetime_too_long', 'ClientJWT lifetime too long');
    if (claims.htm !== String(request.method).toUpperCase()) throw invalid('htm_mismatch', 'htm does not match the request method');
    const requestHtu = toHtu(String(request.url));
    if (requestHtu === undefined || (claims.htu !== requestHtu && toHtu(claims.htu) !== requestHtu)) {
      throw invalid('htu_mismatch', 'htu does not match the request URL');
    }
  }

  /** The application's verdict on the access token, as JSON data (it travels with the registration). */
  async function validate(accessToken: string, kid: string, request: VerifyRequest): Promise<T> {
    let result: T;
    try {
      result = await options.validateAccessToken(accessToken, { kid, method: request.method, url: request.url });
    } catch (e) {
      if (e instanceof VerificationError) throw e;
      throw invalid('access_token_rejected', 'access token rejected', e);
    }
    return JSON.parse(JSON.stringify(result ?? null)) as T;
  }

  /** The token's registration from the store (and into this instance's cache), if any. */
  async function loadRegistration(ath: string, at: number): Promise<Registration<T> | undefined> {
    const stored = await fromStore(() => keyStore.get(registrationKey(ath)), STORE_UNAVAILABLE);
    if (stored === undefined) return undefined;
    const registration = await fromStore(async () => parseRegistration<T>(stored), STORE_UNAVAILABLE);
    if (registration.expiresAt <= at) return undefined;
    cache.set(ath, registration);
    return registration;
  }

  /** The registration in force must be this kid with this key: otherwise the token is bound to another. */
  function assertSameKey(registration: Registration<T>, kid: string, k: string): Registration<T> {
    if (registration.kid !== kid || !sameKey(registration.k, k)) {
      throw invalid('token_bound_to_another_key', TOKEN_BOUND_TO_ANOTHER_KEY);
    }
    return registration;
  }

  /**
   * Binds the token to this key (set-if-absent), after the validator accepted the token.
   * Returns the registration in force, and whether the validator ran for this request.
   */
  async function register(ath: string, kid: string, k: string, key: KeyObject, accessToken: string, request: VerifyRequest, at: number): Promise<[Registration<T>, boolean]> {
    const existing = cache.get(ath, at) ?? (await loadRegistration(ath, at));
    // The same key again (the client's retry, or parallel first requests) is the registration in force.
    if (existing) return [assertSameKey(existing, kid, k), false];
    const claims = await validate(accessToken, kid, request);
    const expiresAt = Math.min((accessTokenExpiry(accessToken) ?? Infinity) + skewMs, at + maxKeyTtlMs);
    const registration: Registration<T> = { kid, k, claims, validatedUntil: Math.min(at + revalidateMs, expiresAt), expiresAt, key };
    if (await fromStore(() => keyStore.setIfAbsent(registrationKey(ath), serialiseRegistration(registration), expiresAt), STORE_UNAVAILABLE)) {
      cache.set(ath, registration);
      return [registration, true];
    }
    // Another request (here or on another instance) registered first: it wins.
    const winner = await loadRegistration(ath, at);
    if (!winner) throw new VerificationError('temporarily_unavailable', 'store_unavailable', 'key registration did not settle');
    return [assertSameKey(winner, kid, k), false];
  }

  /** Calls the validator again once its result is older than `revalidateAfterSeconds`. */
  async function revalidate(ath: string, registration: Registration<T>, accessToken: string, request: VerifyRequest, at: number): Promise<Registration<T>> {
    const claims = await validate(accessToken, registration.kid, request);
    const renewed = { ...registration, claims, validatedUntil: Math.min(at + revalidateMs, registration.expiresAt) };
    cache.set(ath, renewed);
    return renewed;
  }

  return {
    async verify(request) {
      // 1-2. Size and shape before any decoding; alg exactly HS256, typ client+jwt, no crit, an HMAC kid.
      const token = bearerToken(request.authorization);
      const parts = readHeader(token);
      const kid = parts.header.kid as string;
      let claims: ClientJwtClaims;
      try {
        claims = checkClaims(decodeJwt(token));
      } catch (e) {
        if (e instanceof VerificationError) throw e;
        throw invalid('malformed', 'ClientJWT payload is not a JSON object', e);
      }
      const ath = accessTokenHash(claims.access_token);
      const at = now();

      // 3-4. The key: from hmac_key (decrypt, verify, then bind the token to it) or the token's registration.
      let registration: Registration<T>;
      let validatedNow = false;
      const registering = claims.hmac_key !== undefined;
      if (registering) {
        const k = parseHmacJwk(await decryptHmacKey(claims.hmac_key, options.keys), kid);
        const key = hs256Key(k);
        if (!hs256Matches(parts, key)) throw invalid('signature_invalid', 'ClientJWT signature invalid');
        checkTimeAndRequest(claims, request, at);
        [registration, validatedNow] = await register(ath, kid, k, key, claims.access_token, request, at);
      } else {
        const known = cache.get(ath, at) ?? (await loadRegistration(ath, at));
        if (!known || known.kid !== kid) throw new VerificationError('unknown_hmac_key', 'hmac_key_unknown', 'HMAC key not registered for this access token; retry with hmac_key');
        if (!hs256Matches(parts, known.key)) throw invalid('signature_invalid', 'ClientJWT signature invalid');
        checkTimeAndRequest(claims, request, at);
        registration = known;
      }
      if (!validatedNow && registration.validatedUntil <= at) registration = await revalidate(ath, registration, claims.access_token, request, at);

      // 5. Replay, last: a request refused by any check above wrote nothing.
      const fresh = await fromStore(() => replayStore.setIfAbsent(`nonce:${kid}:${claims.nonce}`, '1', claims.exp * 1000 + skewMs), STORE_UNAVAILABLE);
      if (!fresh) throw new VerificationError('replayed_nonce', 'nonce_replayed', 'nonce already used');
      return { accessToken: claims.access_token, accessTokenClaims: registration.claims, clientJwt: claims, kid, registered: registering };
    },
  };
}

/** The token of `Authorization: Bearer <token>`, checked for size before anything else. */
function bearerToken(authorization: string | undefined): string {
  if (typeof authorization !== 'string' || authorization.length === 0) throw invalid('authorization_missing', 'missing Authorization header');
  if (authorization.length > MAX_AUTHORIZATION_LENGTH) throw invalid('authorization_too_large', 'Authorization header too large');
  const space = authorization.indexOf(' ');
  if (space < 0 || authorization.slice(0, space).toLowerCase() !== 'bearer') throw invalid('not_bearer', 'Authorization is not a Bearer token');
  return authorization.slice(space + 1).trimStart();
}

/** Compact shape (base64url only, no padding), then jose's decoding of header and signature. */
function readHeader(token: string): CompactHs256 {
  if (!isCompactJws(token)) throw invalid('malformed', 'ClientJWT is not a compact JWS');
  const parts = splitCompactHs256(token);
  if (parts === 'malformed') throw invalid('malformed', 'ClientJWT header is not a base64url JSON object');
  if (parts === 'alg') throw invalid('alg_not_allowed', 'ClientJWT alg must be HS256');
  if (parts === 'crit') throw invalid('crit_not_allowed', 'ClientJWT crit header is not accepted');
  // jwk/jku/x5u/x5c header hints are ignored: the key comes only from hmac_key or the registration.
  if (parts.header.typ !== CLIENT_JWT_TYP) throw invalid('typ_invalid', `ClientJWT typ must be ${CLIENT_JWT_TYP}`);
  if (!isHmacKid(parts.header.kid)) throw invalid('kid_invalid', 'ClientJWT kid missing or invalid');
  return parts;
}

/** The access token's `exp` read without verification, only to bound how long a registration is kept. */
function accessTokenExpiry(accessToken: string): number | undefined {
  try {
    const { exp } = decodeJwt(accessToken);
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined; // an opaque access token: the maximum registration time applies
  }
}

function invalid(reason: VerificationReason, description: string, cause?: unknown): VerificationError {
  return new VerificationError('invalid_token', reason, description, { cause });
}
