import { inject, Injectable } from '@angular/core';
import { findResourceServer } from '../config/find-resource-server';
import { POP_BASE_URI } from '../config/page-base';
import { POP_CONFIG, ResourceServerConfig } from '../config/pop-config';
import { compactEncrypt } from '../credentials/compact-encrypt';
import { isPopError, PopError } from '../errors/pop-error';
import { KeyResolverService } from '../keys/key-resolver.service';
import type { OAuthToken } from '../tokens/access-token';
import { assertBearerToken } from '../tokens/bearer-token';
import { ClientJwtBuilder } from './client-jwt-builder';
import { DEFAULT_CLIENT_JWT_LIFETIME_SECONDS, MAX_ACCESS_TOKEN_LENGTH } from '../../protocol';
import { HmacSigningKey, toSigningKey } from './hmac-key';
import { HmacKeyGenerator } from './hmac-key-generator';
import { NonceGenerator } from './nonce-generator';
import { TimestampGenerator } from './timestamp-generator';

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

/** A signed ClientJWT and what the caller reports back about it. */
export interface SignedClientJwt {
  /** The compact ClientJWT: send as `Authorization: Bearer <jwt>`. */
  readonly jwt: string;
  /** `baseUrl` of the resource server it is for. */
  readonly baseUrl: string;
  /** `kid` of the HMAC key that signed it. */
  readonly kid: string;
  /** True when it carries `hmac_key` (the key is not yet known to be registered). */
  readonly withHmacKey: boolean;
}

/** The HMAC key of one (resource server, access token) pair, once encrypted for the server. */
interface ReadyKey {
  signingKey: HmacSigningKey;
  /** Compact JWE of the HMAC JWK for the server; the raw JWK itself is not kept. */
  hmacKeyJwe: string;
}

interface KeySession {
  accessToken: string;
  ready: Promise<ReadyKey>;
  /** Set once the server has accepted a request signed with this key. */
  registered: boolean;
  /** Set once `ready` has resolved. */
  key?: ReadyKey;
}

/**
 * Signs requests into ClientJWTs (protocol section 3) and keeps the HMAC key life cycle:
 * one key per resource server and access token (a new token replaces the key, the old one
 * is dropped), created on first use by resolving the server's public key, encrypting the
 * HMAC JWK to it and importing the signing key non-extractable. Requests carry `hmac_key`
 * until `markAccepted` reports that the server accepted one; `markUnregistered` (after an
 * `unknown_hmac_key` answer) makes them carry it again. Concurrent first requests share one
 * key and each carries `hmac_key`, which the server accepts (same `kid`, same key).
 *
 * `popInterceptor` uses this for `HttpClient`; use it directly for `fetch` or WebSockets.
 */
@Injectable({ providedIn: 'root' })
export class ClientJwtService {
  private readonly config = inject(POP_CONFIG);
  private readonly baseUri = inject(POP_BASE_URI);
  private readonly keys = inject(KeyResolverService);
  private readonly hmacKeys = inject(HmacKeyGenerator);
  private readonly nonces = inject(NonceGenerator);
  private readonly timestamps = inject(TimestampGenerator);
  private readonly sessions = new Map<string, KeySession>();

  /**
   * A fresh ClientJWT for `request`. Rejects with a `PopError`: `no_resource_server` when no
   * configured ClientJWT server matches the URL, the key resolver's and encryption's codes
   * when the HMAC key cannot be registered, `signing_failed` otherwise.
   */
  sign(request: ClientJwtRequest): Promise<SignedClientJwt> {
    try {
      const server = this.serverFor(request.url);
      assertBearerToken(request.accessToken, 'The access token', MAX_ACCESS_TOKEN_LENGTH);
      const session = this.sessionFor(server, request);
      // Once the key is set up, sign without waiting on its promise: one hop less per request.
      return session.key ? this.signWith(server, session, session.key, request) : session.ready.then((key) => this.signWith(server, session, key, request));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private signWith(server: ResourceServerConfig, session: KeySession, key: ReadyKey, request: ClientJwtRequest): Promise<SignedClientJwt> {
    const withHmacKey = !session.registered;
    const builder = new ClientJwtBuilder()
      .withAccessToken(request.accessToken)
      .withRequest(request.method, request.url, this.baseUri())
      .withNonceGenerator(this.nonces)
      .withTimestampGenerator({ generateTimestamp: () => this.timestamps.generateTimestamp(server.baseUrl) })
      .withLifetime(this.config.clientJwt?.lifetimeSeconds ?? DEFAULT_CLIENT_JWT_LIFETIME_SECONDS);
    if (withHmacKey) builder.includeEncryptedHMAC(key.hmacKeyJwe);
    return builder.build(key.signingKey).then((jwt) => ({ jwt, baseUrl: server.baseUrl, kid: key.signingKey.kid, withHmacKey }));
  }

  /** The server accepted a request signed with this key: later requests omit `hmac_key`. */
  markAccepted(signed: SignedClientJwt): void {
    const session = this.sessions.get(signed.baseUrl);
    if (session?.key?.signingKey.kid === signed.kid) session.registered = true;
  }

  /** The server does not know this key (`unknown_hmac_key`): send `hmac_key` again. */
  markUnregistered(signed: SignedClientJwt): void {
    const session = this.sessions.get(signed.baseUrl);
    if (session?.key?.signingKey.kid === signed.kid) session.registered = false;
  }

  /** Forgets every HMAC key (e.g. on logout). */
  clear(): void {
    this.sessions.clear();
  }

  private serverFor(url: string): ResourceServerConfig {
    const server = findResourceServer(this.config.resourceServers, url, this.baseUri());
    if (!server || server.clientJwt === false) {
      throw new PopError('no_resource_server', 'No configured resource server with ClientJWTs matches the request URL.');
    }
    return server;
  }

  private sessionFor(server: ResourceServerConfig, request: ClientJwtRequest): KeySession {
    const current = this.sessions.get(server.baseUrl);
    if (current && current.accessToken === request.accessToken) return current;
    // A new access token: a new HMAC key. The previous one is dropped with its session.
    const ready = this.createKey(request);
    const session: KeySession = { accessToken: request.accessToken, registered: false, ready };
    ready.then(
      (key) => (session.key = key),
      () => {
        // Do not keep a failure: the next request tries again.
        if (this.sessions.get(server.baseUrl) === session) this.sessions.delete(server.baseUrl);
      },
    );
    this.sessions.set(server.baseUrl, session);
    return session;
  }

  private async createKey(request: ClientJwtRequest): Promise<ReadyKey> {
    try {
      const serverKey = await this.keys.resolve({ url: request.url, oAuthToken: request.oAuthToken ?? request.accessToken });
      const jwk = await this.hmacKeys.generateHmacKey();
      // The HMAC JWK is key material, not a user secret: credentials.maxSecretBytes does not apply.
      const hmacKeyJwe = await compactEncrypt(new TextEncoder().encode(JSON.stringify(jwk)), serverKey);
      const signingKey = await toSigningKey(jwk);
      return { signingKey, hmacKeyJwe };
    } catch (error) {
      if (isPopError(error)) throw error;
      throw new PopError('signing_failed', 'The HMAC key for ClientJWTs could not be set up.', { cause: error });
    }
  }
}
