/**
 * The client's HMAC key as it arrives (a JWK inside a JWE) and as the server keeps it
 * (a registration record in the key store), plus a bounded cache of imported CryptoKeys so a
 * registered key is not re-imported on every request.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { base64url, type CryptoKey } from 'jose';
import { VerificationError } from './errors.ts';
import { CLIENT_JWT_ALG, MAX_HMAC_KEY_BYTES, MIN_HMAC_KEY_BYTES } from './protocol.ts';

export interface KeyRegistration {
  /** The HMAC key, base64url (the JWK's `k`). */
  k: string;
  /** sha256(access_token), base64url: the one access token this key may sign. */
  ath: string;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Validates the decrypted JWK: `oct`, HS256 (or no alg), 256-512 bits, `kid` equal to the JWS header's. */
export function parseHmacJwk(plaintext: Uint8Array, headerKid: string): string {
  let jwk: unknown;
  try {
    jwk = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    throw invalid('hmac_key does not hold a JSON JWK');
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw invalid('hmac_key does not hold a JWK object');
  const { kty, k, kid, alg } = jwk as Record<string, unknown>;
  if (kty !== 'oct') throw invalid('hmac_key must be an oct key');
  if (alg !== undefined && alg !== CLIENT_JWT_ALG) throw invalid(`hmac_key alg must be ${CLIENT_JWT_ALG}`);
  if (kid !== headerKid) throw invalid('hmac_key kid differs from the ClientJWT kid');
  if (typeof k !== 'string' || !B64URL.test(k) || k.length > 2 * MAX_HMAC_KEY_BYTES) throw invalid('hmac_key k is invalid');
  const bytes = base64url.decode(k).length;
  if (bytes < MIN_HMAC_KEY_BYTES || bytes > MAX_HMAC_KEY_BYTES) throw invalid('hmac_key must have 256 to 512 bits');
  return k;
}

export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'utf8').digest('base64url');
}

/** Constant-time equality of two strings (compared through their SHA-256 digests). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export function parseRegistration(value: string): KeyRegistration {
  const r = JSON.parse(value) as Partial<KeyRegistration>;
  if (typeof r.k !== 'string' || typeof r.ath !== 'string') throw new Error('corrupt key registration');
  return { k: r.k, ath: r.ath };
}

export class HmacKeyCache {
  private readonly keys = new Map<string, Promise<CryptoKey>>();
  private readonly max: number;

  constructor(max = 10_000) {
    this.max = max;
  }

  get(k: string): Promise<CryptoKey> {
    let key = this.keys.get(k);
    if (!key) {
      if (this.keys.size >= this.max) {
        const oldest = this.keys.keys().next().value;
        if (oldest !== undefined) this.keys.delete(oldest);
      }
      // jose imports an oct JWK as raw bytes and would re-import them per call; keep a CryptoKey.
      key = crypto.subtle.importKey('raw', base64url.decode(k), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
      this.keys.set(k, key);
      key.catch(() => this.keys.delete(k));
    }
    return key;
  }
}

function invalid(description: string): VerificationError {
  return new VerificationError('invalid_token', description);
}
