import { CompactEncrypt } from 'jose/jwe/compact/encrypt';
import { CONTENT_ENCRYPTION, KEY_MANAGEMENT_ALGORITHMS, MAX_KID_LENGTH, type SecretJweHeader } from '../../protocol';
import { PopError } from '../errors/pop-error';
import type { EncryptionKey } from '../keys/encryption-key';

/**
 * Compact JWE of `plaintext` for a resource server's key (protocol section 2): the key's
 * management algorithm, always A256GCM, the key's `kid` in the protected header, never `zip`.
 * `claims` adds a secret's `iat`, `jti` and `aud` to the protected header; the `hmac_key` JWE
 * has none (the ClientJWT around it carries its own nonce, expiry and `htm`/`htu`).
 * Rejects with `key_*` codes for a key that breaks the rules, `encryption_failed` otherwise.
 */
export async function compactEncrypt(plaintext: Uint8Array, key: EncryptionKey, claims?: Pick<SecretJweHeader, 'iat' | 'jti' | 'aud'>): Promise<string> {
  assertEncryptionKey(key);
  try {
    return await new CompactEncrypt(plaintext)
      .setProtectedHeader({ alg: key.alg, enc: CONTENT_ENCRYPTION, ...(key.kid === undefined ? {} : { kid: key.kid }), ...claims })
      .encrypt(key.key);
  } catch (cause) {
    throw new PopError('encryption_failed', `Encrypting with the ${key.alg} key failed.`, { cause });
  }
}

/**
 * An `EncryptionKey` may have been built by hand rather than by `toEncryptionKey`: hold it
 * to the rules that matter here (allowed algorithm, public key, sane `kid`).
 */
function assertEncryptionKey(key: EncryptionKey): void {
  if (!(KEY_MANAGEMENT_ALGORITHMS as readonly string[]).includes(key.alg)) {
    throw new PopError('key_unsupported', `Key management algorithm ${String(key.alg)} is not allowed (${KEY_MANAGEMENT_ALGORITHMS.join(', ')}).`);
  }
  if (key.key.type !== 'public') {
    throw new PopError(key.key.type === 'private' ? 'key_private' : 'key_symmetric', `A ${key.key.type} CryptoKey cannot be a server's public encryption key.`);
  }
  if (key.kid !== undefined && (typeof key.kid !== 'string' || key.kid.length === 0 || key.kid.length > MAX_KID_LENGTH)) {
    throw new PopError('key_invalid', `The key's kid must be a string of 1 to ${MAX_KID_LENGTH} characters.`);
  }
}
