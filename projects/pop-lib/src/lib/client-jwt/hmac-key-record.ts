import { isHmacKid, MAX_HMAC_KEY_JWE_LENGTH } from '../../protocol';

/**
 * Which HMAC key a record holds: the one for this resource server and this access token.
 * The token itself is never stored, only its SHA-256.
 */
export interface HmacKeyId {
  /** The resource server's `baseUrl`, resolved to an absolute URL. */
  readonly server: string;
  /** SHA-256 of the access token, base64url. */
  readonly tokenHash: string;
}

/** The HMAC key of one (resource server, access token) pair, as the key store keeps it. */
export interface HmacKeyRecord {
  /** Non-extractable HMAC-SHA-256 key: script can sign with it but never read it. */
  readonly signingKey: CryptoKey;
  readonly kid: string;
  /** Compact JWE of the HMAC JWK for the server (`hmac_key`); the raw JWK is not kept. */
  readonly hmacKeyJwe: string;
  /** The server has accepted a request signed with this key. */
  readonly registered: boolean;
  /** Milliseconds since the epoch after which the record is removed. */
  readonly expiresAt: number;
}

/** Stable text form of an id, for maps and lock names. */
export function hmacKeyIdText(id: HmacKeyId): string {
  return `${id.tokenHash} ${id.server}`;
}

/**
 * True when `value`, read back from storage, is a record this library would have written and
 * that is still valid at `now`. Storage is input: a record from an older version, a damaged
 * one, or one planted by other script (say, with an extractable key) is never used.
 */
export function isUsableRecord(value: unknown, now: number): value is HmacKeyRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<Record<keyof HmacKeyRecord, unknown>>;
  return (
    isNonExtractableHmacKey(record.signingKey) &&
    isHmacKid(record.kid) &&
    typeof record.hmacKeyJwe === 'string' &&
    record.hmacKeyJwe.length <= MAX_HMAC_KEY_JWE_LENGTH &&
    record.hmacKeyJwe.split('.').length === 5 &&
    typeof record.registered === 'boolean' &&
    typeof record.expiresAt === 'number' &&
    record.expiresAt > now
  );
}

function isNonExtractableHmacKey(key: unknown): key is CryptoKey {
  if (typeof CryptoKey === 'undefined' || !(key instanceof CryptoKey)) return false;
  const algorithm = key.algorithm as Partial<HmacKeyAlgorithm>;
  return (
    key.type === 'secret' &&
    !key.extractable &&
    algorithm.name === 'HMAC' &&
    algorithm.hash?.name === 'SHA-256' &&
    key.usages.includes('sign')
  );
}
