import { inject } from '@angular/core';
import type { JWK } from 'jose';
import { DEFAULT_MAX_SECRET_BYTES, MAX_SECRET_BYTES } from '../../protocol';
import { TimestampGenerator } from '../client-jwt/timestamp-generator';
import { POP_BASE_URI } from '../config/page-base';
import { POP_CONFIG } from '../config/pop-config';
import { ResourceServers } from '../config/resource-servers';
import { PopError } from '../errors/pop-error';
import { EncryptionKey, toEncryptionKey } from '../keys/encryption-key';
import { KeyResolverService } from '../keys/key-resolver.service';
import type { OAuthToken } from '../tokens/access-token';
import { encodeSecret } from './secret';
import { secretAudience } from './secret-audience';
import type { SecretEncryptionOptions } from './credential-encryption.service';
import { encryptSecret } from './secret-jwe';

/**
 * What `CredentialEncryptionService` does, loaded on its first use (part of the key set-up
 * code), created in the service's injection context.
 */
export class SecretEncryption {
  private readonly config = inject(POP_CONFIG, { optional: true });
  private readonly baseUri = inject(POP_BASE_URI);
  private readonly keys = inject(KeyResolverService);
  private readonly servers = inject(ResourceServers);
  private readonly timestamps = inject(TimestampGenerator);

  /** See `CredentialEncryptionService.encrypt`. */
  async encrypt(secret: string, serverKey: EncryptionKey | JWK, options: SecretEncryptionOptions): Promise<string> {
    const plaintext = encodeSecret(secret, this.maxSecretBytes());
    const aud = secretAudience(options?.audience, this.baseUri());
    const key = isEncryptionKey(serverKey) ? serverKey : await toEncryptionKey(serverKey);
    return encryptSecret(plaintext, key, aud, this.issuedAt(aud));
  }

  /** See `CredentialEncryptionService.encryptFor`: the secret and the URL are checked before the key is resolved. */
  async encryptFor(url: string, secret: string, oAuthToken?: OAuthToken | null): Promise<string> {
    const plaintext = encodeSecret(secret, this.maxSecretBytes());
    const aud = secretAudience(url, this.baseUri());
    const key = await this.keys.resolve(oAuthToken === undefined ? { url } : { url, oAuthToken });
    // The resolver found the server `url` belongs to: its clock offset applies.
    return encryptSecret(plaintext, key, aud, this.timestamps.generateTimestamp(key.baseUrl));
  }

  /**
   * Now, in milliseconds, as the server at `aud` counts it: the clock offset learnt from that
   * resource server's `Date` headers (`TimestampGenerator`), or `POP_CLOCK` uncorrected when
   * no server is configured for the URL.
   */
  private issuedAt(aud: string): number {
    return this.timestamps.generateTimestamp(this.servers.find(aud)?.baseUrl);
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
