import { Injectable } from '@angular/core';
import type { OAuthToken } from '../tokens/access-token';
import type { EncryptionKey } from './encryption-key';

/** Where a resolved key came from (protocol section 1, in order of precedence). */
export type KeySource = 'cnf.jwk' | 'cnf.jku' | 'claim' | 'config' | 'jwks';

/** What to find a key for. */
export interface KeyRequest {
  /** The URL the secret or request is sent to; selects the resource server. */
  url: string;
  /** The token to read key hints from (`cnf`, `res_pub_key`). Default: the token provider's. */
  oAuthToken?: OAuthToken | null;
}

/** A resource server's encryption key and where it was found. */
export interface ResolvedKey extends EncryptionKey {
  source: KeySource;
  /** The resource server's configured `baseUrl`. */
  baseUrl: string;
}

/**
 * Finds the public key of the resource server a URL belongs to (seed 002).
 * CONTRACT ONLY — the implementation is in progress (issue 3).
 */
@Injectable({ providedIn: 'root' })
export class KeyResolverService {
  resolve(request: KeyRequest): Promise<ResolvedKey> {
    return Promise.reject(new Error(`KeyResolverService.resolve(${request.url}) is not implemented yet`));
  }
}
