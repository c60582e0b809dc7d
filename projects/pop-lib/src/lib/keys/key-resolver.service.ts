import { inject, Injectable } from '@angular/core';
import { POP_BASE_URI } from '../config/page-base';
import type { ResourceServerConfig } from '../config/pop-config';
import { LazyPart } from '../key-setup/load-key-setup';
import type { OAuthToken } from '../tokens/access-token';
import type { EncryptionKey } from './encryption-key';
import { jwksUrlOf } from './jwks-url';

/** Where a resolved key came from (protocol section 1). `config` pins a server; the others apply to unpinned ones. */
export type KeySource = 'cnf.jwk' | 'cnf.jku' | 'claim' | 'config' | 'jwks';

/** What to find a key for. */
export interface KeyRequest {
  /** The URL the secret or request is sent to; selects the resource server. */
  url: string;
  /**
   * What the key is for. Only `'enc'` (the default) is supported: the library encrypts to
   * resource servers and never verifies their signatures.
   */
  use?: 'enc';
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
 * Finds the public key of the resource server a URL belongs to (protocol section 1).
 * A key configured for the server pins it: that key is used and the token is not
 * read. Otherwise, first hit wins: the access token's `cnf.jwk`, its `cnf.jku` (+ `kid`),
 * the `res_pub_key` claim (wrapper, then access token), and `{baseUrl}/pop-keys.json`. A
 * source that is present but unusable is an error, never a reason to try the next one.
 *
 * The resolution code (token hints, JWKS fetching, key import) is loaded on the first
 * `resolve` (see `KeyResolution`), so apps do not carry it in their initial bundle.
 */
@Injectable({ providedIn: 'root' })
export class KeyResolverService {
  private readonly baseUri = inject(POP_BASE_URI);
  private readonly resolution = new LazyPart((setup) => new setup.KeyResolution());

  resolve(request: KeyRequest): Promise<ResolvedKey> {
    // Once loaded, no extra await hop: a warm resolve stays as cheap as before.
    return this.resolution.run((resolution) => resolution.resolve(request));
  }

  /** The absolute URL of a resource server's JWKS: `jwksUrl`, else `{baseUrl}/pop-keys.json`. */
  jwksUrl(server: ResourceServerConfig): string {
    return this.resolution.current?.jwksUrl(server) ?? jwksUrlOf(server, this.baseUri());
  }
}
