import { Injectable } from '@angular/core';
import type { JWK } from 'jose';
import type { EncryptionKey } from '../keys/encryption-key';
import type { OAuthToken } from '../tokens/access-token';

/**
 * Encrypts secrets as compact JWE to a resource server's key (seed 001).
 * CONTRACT ONLY — the implementation is in progress (issue 4).
 */
@Injectable({ providedIn: 'root' })
export class CredentialEncryptionService {
  /** Compact JWE of the UTF-8 bytes of `secret` for `serverKey`. */
  encrypt(secret: string, serverKey: EncryptionKey | JWK): Promise<string> {
    return Promise.reject(new Error(`encrypt(${secret.length} chars, ${String(serverKey)}) is not implemented yet`));
  }

  /** Resolves the key of the server `url` belongs to, then encrypts. */
  encryptFor(url: string, secret: string, oAuthToken?: OAuthToken | null): Promise<string> {
    return Promise.reject(new Error(`encryptFor(${url}, ${secret.length}, ${String(oAuthToken)}) is not implemented yet`));
  }
}
