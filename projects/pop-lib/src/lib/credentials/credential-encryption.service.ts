import { inject, Injectable } from '@angular/core';
import type { JWK } from 'jose';
import { DEFAULT_MAX_SECRET_BYTES, MAX_SECRET_BYTES } from '../../protocol';
import { POP_CONFIG } from '../config/pop-config';
import { PopError } from '../errors/pop-error';
import { EncryptionKey, toEncryptionKey } from '../keys/encryption-key';
import { KeyResolverService } from '../keys/key-resolver.service';
import type { OAuthToken } from '../tokens/access-token';
import { compactEncrypt } from './compact-encrypt';
import { encodeSecret } from './secret';

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
    const key = isEncryptionKey(serverKey) ? serverKey : await toEncryptionKey(serverKey);
    return compactEncrypt(plaintext, key);
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

  /**
   * The configured limit, else the default. `providePop` validated it at start-up; checked
   * again because `POP_CONFIG` can be provided directly, and a bad limit must never mean none.
   */
  private maxSecretBytes(): number {
    const configured = this.config?.credentials?.maxSecretBytes;
    if (configured === undefined) return DEFAULT_MAX_SECRET_BYTES;
    if (!Number.isSafeInteger(configured) || configured < 1 || configured > MAX_SECRET_BYTES) {
      throw new PopError('config_invalid', `credentials.maxSecretBytes must be an integer from 1 to ${MAX_SECRET_BYTES}, not ${String(configured)}.`);
    }
    return configured;
  }
}

function isEncryptionKey(value: unknown): value is EncryptionKey {
  return typeof value === 'object' && value !== null && 'key' in value && value.key instanceof CryptoKey;
}
