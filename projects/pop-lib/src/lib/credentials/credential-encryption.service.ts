import { inject, Injectable } from '@angular/core';
import { CompactEncrypt, type JWK } from 'jose';
import { POP_CONFIG } from '../config/pop-config';
import { PopError } from '../errors/pop-error';
import { EncryptionKey, KeyManagementAlgorithm, toEncryptionKey } from '../keys/encryption-key';
import { KeyResolverService } from '../keys/key-resolver.service';
import type { OAuthToken } from '../tokens/access-token';
import { DEFAULT_MAX_SECRET_BYTES, encodeSecret } from './secret';

/** Content encryption for every JWE the library makes (protocol section 2). */
const CONTENT_ENCRYPTION = 'A256GCM';
const ALLOWED_KEY_MANAGEMENT: readonly KeyManagementAlgorithm[] = ['ECDH-ES+A256KW', 'RSA-OAEP-256'];
/** Same bound as the key bag's (protocol section 5): a `kid` is an id, not a payload. */
const MAX_KID_LENGTH = 128;

/**
 * Encrypts secrets as compact JWE to a resource server's public key (seed 001
 * `SecretCredentialEncryptor`, protocol section 2): `ECDH-ES+A256KW` for EC P-256/384/521 and
 * X25519 keys, `RSA-OAEP-256` for RSA, always `A256GCM`, never `zip`; the protected header
 * names the key's `kid` so the server can pick its private key during rotation.
 */
@Injectable({ providedIn: 'root' })
export class CredentialEncryptionService {
  private readonly config = inject(POP_CONFIG, { optional: true });
  private readonly keys = inject(KeyResolverService);

  /**
   * Compact JWE of the UTF-8 bytes of `secret` for `serverKey`, which is either an imported
   * `EncryptionKey` (as `KeyResolverService` returns) or a public JWK, checked here first.
   * Rejects with a `PopError`: `secret_invalid`, `secret_too_large`, a `key_*` code, or
   * `encryption_failed`.
   */
  async encrypt(secret: string, serverKey: EncryptionKey | JWK): Promise<string> {
    const plaintext = encodeSecret(secret, this.maxSecretBytes());
    const key = assertEncryptionKey(isEncryptionKey(serverKey) ? serverKey : await toEncryptionKey(serverKey));
    try {
      return await new CompactEncrypt(plaintext)
        .setProtectedHeader({ alg: key.alg, enc: CONTENT_ENCRYPTION, ...(key.kid === undefined ? {} : { kid: key.kid }) })
        .encrypt(key.key);
    } catch (cause) {
      throw new PopError('encryption_failed', `Encrypting with the ${key.alg} key failed: ${describe(cause)}`, { cause });
    }
  }

  /**
   * Resolves the key of the resource server `url` belongs to (`KeyResolverService`), then
   * encrypts. The secret is checked first, so a bad secret never causes a key fetch.
   * `oAuthToken` overrides the configured token provider's token as the source of key hints.
   */
  async encryptFor(url: string, secret: string, oAuthToken?: OAuthToken | null): Promise<string> {
    encodeSecret(secret, this.maxSecretBytes());
    const key = await this.keys.resolve(oAuthToken === undefined ? { url } : { url, oAuthToken });
    return this.encrypt(secret, key);
  }

  private maxSecretBytes(): number {
    const configured = this.config?.credentials?.maxSecretBytes;
    if (configured === undefined) return DEFAULT_MAX_SECRET_BYTES;
    if (!Number.isSafeInteger(configured) || configured < 1) {
      throw new PopError('config_invalid', `credentials.maxSecretBytes must be a positive integer, not ${String(configured)}.`);
    }
    return configured;
  }
}

function isEncryptionKey(value: unknown): value is EncryptionKey {
  return typeof value === 'object' && value !== null && 'key' in value && value.key instanceof CryptoKey;
}

/**
 * An `EncryptionKey` may have been built by hand rather than by `toEncryptionKey`: hold it
 * to the same rules that matter here (allowed algorithm, public key, sane `kid`).
 */
function assertEncryptionKey(key: EncryptionKey): EncryptionKey {
  if (!ALLOWED_KEY_MANAGEMENT.includes(key.alg)) {
    throw new PopError('key_unsupported', `Key management algorithm ${String(key.alg)} is not allowed (${ALLOWED_KEY_MANAGEMENT.join(', ')}).`);
  }
  if (key.key.type !== 'public') {
    throw new PopError(key.key.type === 'private' ? 'key_private' : 'key_symmetric', `A ${key.key.type} CryptoKey cannot be a server's public encryption key.`);
  }
  if (key.kid !== undefined && (typeof key.kid !== 'string' || key.kid.length === 0 || key.kid.length > MAX_KID_LENGTH)) {
    throw new PopError('key_invalid', `The key's kid must be a string of 1 to ${MAX_KID_LENGTH} characters.`);
  }
  return key;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
