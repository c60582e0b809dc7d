import { inject, Injectable } from '@angular/core';
import { findResourceServer } from '../config/find-resource-server';
import { POP_BASE_URI } from '../config/page-base';
import { POP_CONFIG, ResourceServerConfig } from '../config/pop-config';
import { compactEncrypt } from '../credentials/compact-encrypt';
import { isPopError, PopError } from '../errors/pop-error';
import { KeyResolverService } from '../keys/key-resolver.service';
import type { OAuthToken } from '../tokens/access-token';
import { assertBearerToken } from '../tokens/bearer-token';
import { POP_CLOCK } from '../keys/pop-clock';
import { readClaims } from '../tokens/read-claims';
import { DEFAULT_CLIENT_JWT_LIFETIME_SECONDS, MAX_ACCESS_TOKEN_LENGTH, MAX_CLIENT_JWT_LENGTH } from '../../protocol';
import { ClientJwtBuilder } from './client-jwt-builder';
import { HmacSigningKey, toSigningKey } from './hmac-key';
import { HmacKeyGenerator } from './hmac-key-generator';
import { hmacKeyRecordExpiry } from './hmac-key-expiry';
import { HmacKeyId, HmacKeyRecord } from './hmac-key-record';
import type { HmacKeyStorage } from './hmac-key-store';
import { NonceGenerator } from './nonce-generator';
import { POP_HMAC_KEY_STORE } from './pop-hmac-key-store';
import { TimestampGenerator } from './timestamp-generator';
import { accessTokenHash } from './token-hash';

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

/** The HMAC key of one (resource server, access token) pair, ready to sign with. */
interface ReadyKey {
  /** Where the key store keeps it. */
  id: HmacKeyId;
  signingKey: HmacSigningKey;
  /** Compact JWE of the HMAC JWK for the server; the raw JWK itself is not kept. */
  hmacKeyJwe: string;
  /** The stored record said the server had accepted the key (in this tab or another). */
  registered: boolean;
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
  private readonly config = inject(POP_CONFIG);
  private readonly baseUri = inject(POP_BASE_URI);
  private readonly clock = inject(POP_CLOCK);
  private readonly keys = inject(KeyResolverService);
  private readonly hmacKeys = inject(HmacKeyGenerator);
  private readonly nonces = inject(NonceGenerator);
  private readonly timestamps = inject(TimestampGenerator);
  private readonly store = inject(POP_HMAC_KEY_STORE);
  /** The key in use per resource server (`baseUrl` as configured): the per-request fast path. */
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

  /** The server accepted a request signed with this key: later requests (and tabs) omit `hmac_key`. */
  markAccepted(signed: SignedClientJwt): void {
    const session = this.sessions.get(signed.baseUrl);
    const key = session?.key;
    // Only the first acceptance is written down: nothing more per request.
    if (!session || !key || key.signingKey.kid !== signed.kid || session.registered) return;
    session.registered = true;
    this.persistRegistered(key, true);
  }

  /** The server does not know this key (`unknown_hmac_key`): send `hmac_key` again. */
  markUnregistered(signed: SignedClientJwt): void {
    const session = this.sessions.get(signed.baseUrl);
    const key = session?.key;
    if (!session || !key || key.signingKey.kid !== signed.kid) return;
    session.registered = false;
    this.persistRegistered(key, false);
  }

  /**
   * Drops the HMAC key that signed `signed`, here and in the key store, so the next request
   * for its access token makes a new key. `popInterceptor` calls it when the server answers
   * that the token is bound to another key (`token_bound_to_other_key`); that token cannot be
   * used from this browser any more.
   */
  async dropKey(signed: SignedClientJwt): Promise<void> {
    const session = this.sessions.get(signed.baseUrl);
    if (session?.key?.signingKey.kid === signed.kid) this.sessions.delete(signed.baseUrl);
    const accessToken = readClaims(signed.jwt, { maxLength: MAX_CLIENT_JWT_LENGTH })['access_token'];
    if (typeof accessToken !== 'string') {
      throw new PopError('token_claim_invalid', 'The ClientJWT has no access_token claim: no key to drop.');
    }
    await this.store.delete(await this.keyId(signed.baseUrl, accessToken), signed.kid);
  }

  /**
   * Forgets every HMAC key: this tab's, and every record in the key store (all tabs'; a tab
   * that already holds a key in memory keeps using it until it reloads). Call it at logout.
   */
  async clear(): Promise<void> {
    this.sessions.clear();
    await this.store.clear();
  }

  /**
   * Where HMAC keys are kept: `indexeddb` (shared by the origin's tabs, kept across reloads)
   * or `memory` (this page only: a reload makes a new key, which the server refuses for a
   * token it has bound to the old one). See docs/security.md.
   */
  keyStorage(): Promise<HmacKeyStorage> {
    return this.store.storage();
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
    // Another access token: its own key, from the store or new. The previous session is dropped
    // here (its record stays in the store until it expires: another tab may still use it).
    const ready = this.loadKey(server, request);
    const session: KeySession = { accessToken: request.accessToken, registered: false, ready };
    ready.then(
      (key) => {
        session.key = key;
        session.registered = key.registered;
      },
      () => {
        // Do not keep a failure: the next request tries again.
        if (this.sessions.get(server.baseUrl) === session) this.sessions.delete(server.baseUrl);
      },
    );
    this.sessions.set(server.baseUrl, session);
    return session;
  }

  /** The stored key of (server, token), or a new one, stored: one key per pair across tabs. */
  private async loadKey(server: ResourceServerConfig, request: ClientJwtRequest): Promise<ReadyKey> {
    try {
      const id = await this.keyId(server.baseUrl, request.accessToken);
      const record = await this.store.getOrCreate(id, () => this.createKey(request));
      return { id, signingKey: { kid: record.kid, key: record.signingKey }, hmacKeyJwe: record.hmacKeyJwe, registered: record.registered };
    } catch (error) {
      if (isPopError(error)) throw error;
      throw new PopError('signing_failed', `The HMAC key for ClientJWTs could not be set up: ${describe(error)}`, { cause: error });
    }
  }

  private async createKey(request: ClientJwtRequest): Promise<HmacKeyRecord> {
    const serverKey = await this.keys.resolve({ url: request.url, oAuthToken: request.oAuthToken ?? request.accessToken });
    const jwk = await this.hmacKeys.generateHmacKey();
    // The HMAC JWK is key material, not a user secret: credentials.maxSecretBytes does not apply.
    const hmacKeyJwe = await compactEncrypt(new TextEncoder().encode(JSON.stringify(jwk)), serverKey);
    const signingKey = await toSigningKey(jwk);
    const expiresAt = hmacKeyRecordExpiry(request.accessToken, this.clock());
    return { signingKey: signingKey.key, kid: signingKey.kid, hmacKeyJwe, registered: false, expiresAt };
  }

  /** The store's name for (server, token): the absolute `baseUrl` and the token's SHA-256. */
  private async keyId(baseUrl: string, accessToken: string): Promise<HmacKeyId> {
    return { server: new URL(baseUrl, this.baseUri()).href, tokenHash: await accessTokenHash(accessToken) };
  }

  private persistRegistered(key: ReadyKey, registered: boolean): void {
    // Best effort: a lost write costs one more request with hmac_key (or one unknown_hmac_key retry).
    this.store.setRegistered(key.id, key.signingKey.kid, registered).catch(() => undefined);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
