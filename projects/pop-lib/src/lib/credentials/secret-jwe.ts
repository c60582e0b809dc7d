import { base64url } from 'jose';
import { SECRET_JTI_BYTES, type SecretJweHeader, toHtu } from '../../protocol';
import { PopError } from '../errors/pop-error';
import type { EncryptionKey } from '../keys/encryption-key';
import { compactEncrypt } from './compact-encrypt';

/** What a secret's JWE says about itself: when it was made, its one-time id, and where it may be used. */
export type SecretClaims = Pick<SecretJweHeader, 'iat' | 'jti' | 'aud'>;

/**
 * The `aud` of a secret's JWE: the URL it is for, normalised like `htu` (origin and path,
 * no query, fragment or user info), relative URLs resolved against `base` (the page). A URL
 * that is not absolute http(s) after that, or is over 1024 characters, is `audience_invalid`:
 * a JWE without an endpoint to bind it to is never made.
 */
export function secretAudience(url: unknown, base: string | undefined): string {
  if (typeof url !== 'string' || url.length === 0) {
    throw new PopError('audience_invalid', `The URL a secret is for must be a non-empty string, not ${url === null ? 'null' : typeof url}.`);
  }
  const aud = toHtu(url, base);
  if (aud === undefined) {
    const hint = base === undefined ? ' (a relative URL needs the page base URL, which is not known here)' : '';
    throw new PopError('audience_invalid', `The URL a secret is for, "${url.slice(0, 100)}", is not an absolute http(s) URL of at most 1024 characters${hint}.`);
  }
  return aud;
}

/**
 * Compact JWE of a secret's UTF-8 bytes (protocol section 2) whose protected header carries
 * `iat` (`issuedAtMs` in whole seconds), a fresh 128-bit `jti` and `aud` (as `secretAudience`
 * returns it). A256GCM authenticates the header, so none of them can be changed unnoticed;
 * the plaintext stays the bare secret, so any JWE library decrypts it.
 */
export function encryptSecret(plaintext: Uint8Array, key: EncryptionKey, aud: string, issuedAtMs: number): Promise<string> {
  const iat = Math.floor(issuedAtMs / 1000);
  if (!Number.isSafeInteger(iat) || iat < 0) {
    return Promise.reject(new PopError('encryption_failed', `The clock gave no usable time (${String(issuedAtMs)}); a secret's JWE needs its iat.`));
  }
  const claims: SecretClaims = { iat, jti: base64url.encode(crypto.getRandomValues(new Uint8Array(SECRET_JTI_BYTES))), aud };
  return compactEncrypt(plaintext, key, claims);
}
