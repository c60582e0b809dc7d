import { inject, Injectable } from '@angular/core';
import { MAX_ACCESS_TOKEN_LENGTH } from '../../protocol';
import { ResourceServers } from '../config/resource-servers';
import { PopError } from '../errors/pop-error';
import type { OAuthToken } from '../tokens/access-token';
import { assertBearerToken } from '../tokens/bearer-token';
import { requireHtu, toHtm } from './client-jwt-claims';
import { ClientJwtSigner, SignedClientJwt } from './client-jwt-signer';
import type { HmacKeyStorage } from './hmac-key-store';

export type { SignedClientJwt };

/** One request to sign. */
export interface ClientJwtRequest {
  /** HTTP method (`htm`). */
  method: string;
  /** Request URL, absolute or relative to the page; selects the resource server, gives `htu`. */
  url: string;
  /** The bearer token to wrap. */
  accessToken: string;
  /** The token to read the server's key hints from (`cnf`, `res_pub_key`). Default `accessToken`. */
  oAuthToken?: OAuthToken | null;
}

/**
 * Signs requests into ClientJWTs (protocol section 3) and keeps the HMAC key life cycle:
 * one key per resource server and access token, kept in the HMAC key store (IndexedDB:
 * shared by the origin's tabs and kept across reloads; memory where IndexedDB or Web Locks
 * are missing), created on first use by resolving the server's public key, encrypting the
 * HMAC JWK to it and importing the signing key non-extractable. Requests carry `hmac_key`
 * until `markAccepted` reports that the server accepted one; `markUnregistered` (after an
 * `unknown_hmac_key` answer) makes them carry it again. Concurrent first requests share one
 * key and each carries `hmac_key`, which the server accepts (same `kid`, same key).
 *
 * `popInterceptor` uses this for `HttpClient`; use it directly for `fetch` or WebSockets.
 */
@Injectable({ providedIn: 'root' })
export class ClientJwtService {
  private readonly servers = inject(ResourceServers);
  private readonly signer = inject(ClientJwtSigner);

  /**
   * A fresh ClientJWT for `request`. Rejects with a `PopError`: `no_resource_server` when no
   * configured ClientJWT server matches the URL, the key resolver's and encryption's codes
   * when the HMAC key cannot be registered, `signing_failed` otherwise.
   */
  sign(request: ClientJwtRequest): Promise<SignedClientJwt> {
    try {
      const target = this.servers.locate(request.url);
      const server = target?.server;
      if (!target || !server || server.clientJwt === false) {
        throw new PopError('no_resource_server', 'No configured resource server with ClientJWTs matches the request URL.');
      }
      assertBearerToken(request.accessToken, 'The access token', MAX_ACCESS_TOKEN_LENGTH);
      const htm = toHtm(request.method);
      const htu = requireHtu(target.htu);
      const { url, accessToken } = request;
      return this.signer.sign({ server, htm, htu, url, accessToken, oAuthToken: request.oAuthToken ?? accessToken });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The server accepted a request signed with this key: later requests (and tabs) omit `hmac_key`. */
  markAccepted(signed: SignedClientJwt): void {
    this.signer.markAccepted(signed);
  }

  /** The server does not know this key (`unknown_hmac_key`): send `hmac_key` again. */
  markUnregistered(signed: SignedClientJwt): void {
    this.signer.markUnregistered(signed);
  }

  /**
   * Drops the HMAC key that signed `signed`, here and in the key store, so the next request
   * for its access token makes a new key. `popInterceptor` calls it when the server answers
   * that the token is bound to another key (`token_bound_to_other_key`); that token cannot be
   * used from this browser any more.
   */
  dropKey(signed: SignedClientJwt): Promise<void> {
    return this.signer.dropKey(signed);
  }

  /**
   * Forgets every HMAC key: this tab's, and every record in the key store (all tabs'; a tab
   * that already holds a key in memory keeps using it until it reloads). Call it at logout.
   */
  clear(): Promise<void> {
    return this.signer.clear();
  }

  /**
   * Where HMAC keys are kept: `indexeddb` (shared by the origin's tabs, kept across reloads)
   * or `memory` (this page only: a reload makes a new key, which the server refuses for a
   * token it has bound to the old one). See docs/security.md.
   */
  keyStorage(): Promise<HmacKeyStorage> {
    return this.signer.keyStorage();
  }
}
