import { inject, Injectable } from '@angular/core';
import type { JWK } from 'jose';
import { DEFAULT_MAX_SECRET_BYTES, MAX_SECRET_BYTES } from '../../protocol';
import { TimestampGenerator } from '../client-jwt/timestamp-generator';
import { POP_BASE_URI } from '../config/page-base';
import { POP_CONFIG } from '../config/pop-config';
import { ResourceServers } from '../config/resource-servers';
import { PopError } from '../errors/pop-error';
import { LazyPart } from '../key-setup/load-key-setup';
import type { EncryptionKey } from '../keys/encryption-key';
import { KeyResolverService } from '../keys/key-resolver.service';
import type { OAuthToken } from '../tokens/access-token';
import { encodeSecret } from './secret';
import { secretAudience } from './secret-audience';

/** What `encrypt` needs besides the secret and the key. */
export interface SecretEncryptionOptions {
  /**
   * The URL the secret is sent to (absolute, or relative to the page): the endpoint whose
   * server checks it. It becomes the JWE's `aud`, normalised to origin and path.
   */
  audience: string;
}

/**
 * Encrypts secrets as compact JWE to a resource server's public key (protocol section 2):
 * `ECDH-ES+A256KW` for EC P-256/384/521 and X25519 keys, `RSA-OAEP-256` for RSA, always
 * `A256GCM`, never `zip`. The protected header
 * names the key's `kid` (so the server can pick its private key during rotation) and carries
 * `iat`, a fresh `jti` and `aud`, so the server can refuse a JWE that is old, already used,
 * or sent to another endpoint. The input checks run at once; the encryption code (key import,
 * jose's JWE) is loaded on first use.
 */
@Injectable({ providedIn: 'root' })
export class CredentialEncryptionService {
  private readonly config = inject(POP_CONFIG, { optional: true });
  private readonly baseUri = inject(POP_BASE_URI);
  private readonly keys = inject(KeyResolverService);
  private readonly servers = inject(ResourceServers);
  private readonly timestamps = inject(TimestampGenerator);
  /** `toEncryptionKey` and `encryptSecret`, from the key set-up code. */
  private readonly encryption = new LazyPart((setup) => setup);

  /**
   * Compact JWE of the UTF-8 bytes of `secret` for `serverKey`, which is either an imported
   * `EncryptionKey` (as `KeyResolverService` returns) or a public JWK, checked here first.
   * `options.audience` is required: it is the endpoint the JWE is valid at.
   * Rejects with a `PopError`: `secret_invalid`, `secret_too_large`, `audience_invalid`, a
   * `key_*` code, or `encryption_failed`.
   */
  async encrypt(secret: string, serverKey: EncryptionKey | JWK, options: SecretEncryptionOptions): Promise<string> {
    const plaintext = encodeSecret(secret, this.maxSecretBytes());
    const aud = secretAudience(options?.audience, this.baseUri());
    const { toEncryptionKey, encryptSecret } = this.encryption.current ?? (await this.encryption.load());
    const key = isEncryptionKey(serverKey) ? serverKey : await toEncryptionKey(serverKey);
    return encryptSecret(plaintext, key, aud, this.issuedAt(aud));
  }

  /**
   * Resolves the key of the resource server `url` belongs to (`KeyResolverService`), then
   * encrypts for `url` as the audience. The secret and the URL are checked first, so bad
   * input never causes a key fetch. `oAuthToken` overrides the configured token provider's
   * token as the source of key hints.
   */
  async encryptFor(url: string, secret: string, oAuthToken?: OAuthToken | null): Promise<string> {
    encodeSecret(secret, this.maxSecretBytes());
    secretAudience(url, this.baseUri());
    const key = await this.keys.resolve(oAuthToken === undefined ? { url } : { url, oAuthToken });
    return this.encrypt(secret, key, { audience: url });
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
