import * as base64url from 'jose/base64url';
import { SECRET_JTI_BYTES, type SecretJweHeader } from '../../protocol';
import { PopError } from '../errors/pop-error';
import type { EncryptionKey } from '../keys/encryption-key';
import { compactEncrypt } from './compact-encrypt';

export { secretAudience } from './secret-audience';

/** What a secret's JWE says about itself: when it was made, its one-time id, and where it may be used. */
export type SecretClaims = Pick<SecretJweHeader, 'iat' | 'jti' | 'aud'>;

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
