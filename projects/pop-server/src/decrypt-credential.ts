/**
 * Decrypts compact JWEs made by pop-lib (protocol §2) with the server key their `kid` names:
 * secret form fields (`decryptCredential`, fresh, single-use and bound to one endpoint) and
 * the ClientJWT's `hmac_key`. Everything a hostile sender controls is checked before any
 * crypto: length, compact shape, `zip`, `crit`, the algorithm allow-list, the `kid`, and for
 * a secret its `iat`, `jti` and `aud`. Only a JWE that decrypted (which authenticates its
 * header) touches the replay store.
 */
import { compactDecrypt, decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';
import { isCompactJwe } from './compact.ts';
import { VerificationError, type VerificationReason } from './errors.ts';
import { assertOptions, integerIn, isFunction, isStore, type Rule } from './options.ts';
import {
  CONTENT_ENCRYPTION,
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_SECRET_MAX_AGE_SECONDS,
  isKeyId,
  MAX_CLOCK_SKEW_SECONDS,
  MAX_HMAC_KEY_JWE_LENGTH,
  MAX_SECRET_JWE_LENGTH,
  MAX_SECRET_MAX_AGE_SECONDS,
  SECRET_JTI_PATTERN,
  toHtu,
} from './protocol.ts';
import type { ServerKey, ServerKeys } from './server-keys.ts';
import { fromStore, type PopStore } from './store.ts';

/** A secret field's checks: the endpoint it must be for, and where used `jti`s are kept. */
export interface SecretFieldOptions {
  /**
   * The absolute URL this endpoint answers to, as the client addressed it (behind a proxy:
   * the public URL). Compared with the JWE's `aud` after both are normalised like `htu`
   * (origin and path; query and fragment dropped).
   */
  audience: string;
  /** Where each accepted `jti` is kept until the JWE could no longer be accepted: `MemoryStore`, `RedisStore`. */
  replayStore: PopStore;
  /** How long after its `iat` a JWE is accepted, 1 to 3600 s (default 600). */
  maxAgeSeconds?: number;
  /** Tolerated clock difference, 0 to 300 s (default 30). */
  skewSeconds?: number;
  /** Clock in epoch milliseconds, for tests. */
  now?: () => number;
}

/**
 * For senders that do not put `iat`, `jti` and `aud` in the JWE (other clients, or pop-lib
 * before 0.2): decrypts without the freshness, single-use and endpoint checks. A captured JWE
 * then decrypts forever, at any endpoint with this key: a password equivalent. Use it only
 * while such senders are being migrated.
 */
export interface LegacyUnboundOptions {
  legacyUnbound: true;
}

export type DecryptCredentialOptions = SecretFieldOptions | LegacyUnboundOptions;

/** The options, checked and with defaults, as `decryptCredential` applies them. */
export type ResolvedCredentialOptions =
  | { legacyUnbound: true }
  | { legacyUnbound: false; audience: string; replayStore: PopStore; maxAgeMs: number; skewMs: number; now: () => number };

const audienceRule: Rule = (value) =>
  typeof value === 'string' && toHtu(value) !== undefined ? undefined : 'must be the absolute http(s) URL of the endpoint';

const SECRET_CHECK_RULES = {
  replayStore: { rule: isStore, required: true },
  maxAgeSeconds: { rule: integerIn(1, MAX_SECRET_MAX_AGE_SECONDS) },
  skewSeconds: { rule: integerIn(0, MAX_CLOCK_SKEW_SECONDS) },
  now: { rule: isFunction },
};

/** Checks `decryptCredential`'s options; throws `PopServerConfigError` listing every problem. */
export function resolveCredentialOptions(options: DecryptCredentialOptions): ResolvedCredentialOptions {
  if (typeof options === 'object' && options !== null && 'legacyUnbound' in options) {
    assertOptions('decryptCredential options', options, { legacyUnbound: { rule: (v) => (v === true ? undefined : 'must be true'), required: true } });
    return { legacyUnbound: true };
  }
  assertOptions('decryptCredential options (give { audience, replayStore }, or { legacyUnbound: true } for legacy senders)', options, {
    audience: { rule: audienceRule, required: true },
    ...SECRET_CHECK_RULES,
  });
  return resolvedFor(options, toHtu(options.audience) as string);
}

/**
 * For adapters that serve several endpoints: checks the options that do not depend on the
 * endpoint once (at start-up), and returns the resolved options for an endpoint's audience.
 */
export function secretFieldChecks(what: string, options: Omit<SecretFieldOptions, 'audience'>): (audience: string) => ResolvedCredentialOptions {
  assertOptions(what, options, SECRET_CHECK_RULES);
  return (audience) => resolvedFor(options, toHtu(audience) ?? '');
}

function resolvedFor(options: Omit<SecretFieldOptions, 'audience'>, audience: string): ResolvedCredentialOptions {
  return {
    legacyUnbound: false,
    audience,
    replayStore: options.replayStore,
    maxAgeMs: (options.maxAgeSeconds ?? DEFAULT_SECRET_MAX_AGE_SECONDS) * 1000,
    skewMs: (options.skewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000,
    now: options.now ?? Date.now,
  };
}

/**
 * Decrypts a secret form field and returns its UTF-8 plaintext. With `{ audience,
 * replayStore }` (the default way) the JWE must carry `iat`, `jti` and `aud` in its protected
 * header: `aud` equal to `audience`, `iat` at most `maxAgeSeconds` old and not in the future
 * beyond the skew, and a `jti` never seen before (kept in `replayStore` until the JWE
 * expires). Every refusal is a `VerificationError` 400 `invalid_request` with a `reason`;
 * a store that cannot answer is 503. Bad options throw `PopServerConfigError`.
 */
export async function decryptCredential(jwe: unknown, keys: ServerKeys, options: DecryptCredentialOptions): Promise<string> {
  return decryptResolved(jwe, keys, resolveCredentialOptions(options));
}

/** `decryptCredential` with options already checked (adapters resolve them once at start-up). */
export async function decryptResolved(jwe: unknown, keys: ServerKeys, options: ResolvedCredentialOptions): Promise<string> {
  const target = readJwe(jwe, keys, MAX_SECRET_JWE_LENGTH, secretError);
  let jti: string | undefined;
  let expiresAt = 0;
  if (!options.legacyUnbound) {
    ({ jti, expiresAt } = checkSecretHeader(target.header, options));
  }
  const plaintext = await decrypt(target, secretError);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch {
    throw secretError('secret_invalid', 'the encrypted value is not UTF-8 text');
  }
  if (jti !== undefined && !options.legacyUnbound) {
    const fresh = await fromStore(() => options.replayStore.setIfAbsent(`jti:${jti}`, '1', expiresAt), 'replay store unavailable');
    if (!fresh) throw secretError('secret_replayed', 'this encrypted value was already used');
  }
  return text;
}

/** The `hmac_key` of a ClientJWT: the decrypted HMAC JWK's bytes, or `invalid_token`. */
export async function decryptHmacKey(jwe: unknown, keys: ServerKeys): Promise<Uint8Array> {
  return decrypt(readJwe(jwe, keys, MAX_HMAC_KEY_JWE_LENGTH, hmacKeyError), hmacKeyError);
}

type Fail = (reason: VerificationReason, description: string, cause?: unknown) => VerificationError;

const secretError: Fail = (reason, description, cause) => new VerificationError('invalid_request', reason, description, { cause });
const hmacKeyError: Fail = (_reason, description, cause) => new VerificationError('invalid_token', 'hmac_key_invalid', `hmac_key: ${description}`, { cause });

interface JweTarget {
  jwe: string;
  header: ProtectedHeaderParameters;
  key: ServerKey;
}

/** The checks that run before any crypto, and the server key the JWE is for. */
function readJwe(jwe: unknown, keys: ServerKeys, maxLength: number, fail: Fail): JweTarget {
  if (typeof jwe !== 'string') throw fail('secret_invalid', 'the encrypted value must be a compact JWE string');
  if (jwe.length > maxLength) throw fail('secret_too_large', 'the encrypted value is too large');
  if (!isCompactJwe(jwe)) throw fail('secret_invalid', 'the encrypted value is not a compact JWE');
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(jwe);
  } catch (cause) {
    throw fail('secret_invalid', 'the encrypted value has an unreadable header', cause);
  }
  if (header.zip !== undefined) throw fail('secret_invalid', 'compressed JWE (zip) is not accepted');
  if (header.crit !== undefined) throw fail('secret_invalid', 'a JWE crit header is not accepted');
  if (header.enc !== CONTENT_ENCRYPTION) throw fail('secret_invalid', `JWE enc must be ${CONTENT_ENCRYPTION}`);
  const key = selectKey(header, keys);
  if (!key) throw fail('secret_key_unknown', 'the JWE kid names no key of this server');
  // Only the chosen key's own algorithm: this excludes RSA1_5, dir and PBES2 (and its p2c) before any crypto.
  if (header.alg !== key.alg) throw fail('secret_invalid', `JWE alg must be ${key.alg} for this key`);
  return { jwe, header, key };
}

function checkSecretHeader(header: ProtectedHeaderParameters, options: Extract<ResolvedCredentialOptions, { legacyUnbound: false }>): { jti: string; expiresAt: number } {
  const { iat, jti, aud } = header as { iat?: unknown; jti?: unknown; aud?: unknown };
  if (!Number.isSafeInteger(iat) || (iat as number) < 0) throw secretError('secret_parameter_missing', 'the JWE header needs iat (seconds since the epoch)');
  if (typeof jti !== 'string' || !SECRET_JTI_PATTERN.test(jti)) throw secretError('secret_parameter_missing', 'the JWE header needs jti (128 random bits, base64url)');
  if (typeof aud !== 'string') throw secretError('secret_parameter_missing', 'the JWE header needs aud (the URL the secret is for)');
  if (options.audience === '' || (aud !== options.audience && toHtu(aud) !== options.audience)) {
    throw secretError('secret_audience_mismatch', 'this encrypted value is meant for another endpoint');
  }
  const now = options.now();
  const issuedAt = (iat as number) * 1000;
  if (issuedAt > now + options.skewMs) throw secretError('secret_from_future', 'the encrypted value was made in the future (iat)');
  const expiresAt = issuedAt + options.maxAgeMs + options.skewMs;
  if (now > expiresAt) throw secretError('secret_expired', 'the encrypted value is too old (iat): encrypt it again');
  return { jti, expiresAt };
}

async function decrypt(target: JweTarget, fail: Fail): Promise<Uint8Array> {
  try {
    const { plaintext } = await compactDecrypt(target.jwe, target.key.privateKey, {
      keyManagementAlgorithms: [target.key.alg],
      contentEncryptionAlgorithms: [CONTENT_ENCRYPTION],
    });
    return plaintext;
  } catch (cause) {
    throw fail('secret_undecryptable', 'the encrypted value could not be decrypted with this server\'s key', cause);
  }
}

function selectKey(header: ProtectedHeaderParameters, keys: ServerKeys): ServerKey | undefined {
  if (header.kid === undefined) {
    // Without a kid only an unambiguous single key is used; with rotation the kid is required.
    return keys.keys.length === 1 ? keys.keys[0] : undefined;
  }
  return isKeyId(header.kid) ? keys.find(header.kid) : undefined;
}
