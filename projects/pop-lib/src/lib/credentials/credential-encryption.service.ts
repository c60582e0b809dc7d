import { Injectable } from '@angular/core';
import type { JWK } from 'jose';
import { LazyPart } from '../key-setup/load-key-setup';
import type { EncryptionKey } from '../keys/encryption-key';
import type { OAuthToken } from '../tokens/access-token';

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
 * `A256GCM`, never `zip`. The protected header names the key's `kid` (so the server can pick
 * its private key during rotation) and carries `iat`, a fresh `jti` and `aud`, so the server
 * can refuse a JWE that is old, already used, or sent to another endpoint. The checking and
 * encryption code (`SecretEncryption`, jose's JWE) is loaded on first use.
 */
@Injectable({ providedIn: 'root' })
export class CredentialEncryptionService {
  private readonly encryption = new LazyPart((setup) => new setup.SecretEncryption());

  /**
   * Compact JWE of the UTF-8 bytes of `secret` for `serverKey`, which is either an imported
   * `EncryptionKey` (as `KeyResolverService` returns) or a public JWK, checked here first.
   * `options.audience` is required: it is the endpoint the JWE is valid at.
   * Rejects with a `PopError`: `secret_invalid`, `secret_too_large`, `audience_invalid`, a
   * `key_*` code, or `encryption_failed` (`load_failed` when the code cannot be loaded).
   */
  encrypt(secret: string, serverKey: EncryptionKey | JWK, options: SecretEncryptionOptions): Promise<string> {
    return this.encryption.run((encryption) => encryption.encrypt(secret, serverKey, options));
  }

  /**
   * Resolves the key of the resource server `url` belongs to (`KeyResolverService`), then
   * encrypts for `url` as the audience. The secret and the URL are checked first, so bad
   * input never causes a key fetch. `oAuthToken` overrides the configured token provider's
   * token as the source of key hints.
   */
  encryptFor(url: string, secret: string, oAuthToken?: OAuthToken | null): Promise<string> {
    return this.encryption.run((encryption) => encryption.encryptFor(url, secret, oAuthToken));
  }
}
