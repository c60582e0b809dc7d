import { inject, Injectable } from '@angular/core';
import { type ClientJwtClaims, DEFAULT_CLIENT_JWT_LIFETIME_SECONDS, MAX_CLIENT_JWT_LENGTH } from '../../protocol';
import { POP_BASE_URI } from '../config/page-base';
import { POP_CONFIG, ResourceServerConfig } from '../config/pop-config';
import { isPopError, PopError } from '../errors/pop-error';
import { LazyPart } from '../key-setup/load-key-setup';
import { KeyResolverService } from '../keys/key-resolver.service';
import { POP_CLOCK } from '../keys/pop-clock';
import type { OAuthToken } from '../tokens/access-token';
import { readClaims } from '../tokens/read-claims';
import { checkLifetime, clientJwtClaims, signClientJwt, TimestampSource } from './client-jwt-claims';
import type { HmacSigningKey } from './hmac-key';
import { HmacKeyGenerator } from './hmac-key-generator';
import type { HmacKeyId, HmacKeyRecord } from './hmac-key-record';
import type { HmacKeyStorage } from './hmac-key-store';
import { NonceGenerator } from './nonce-generator';
import { POP_HMAC_KEY_STORE } from './pop-hmac-key-store';
import { TimestampGenerator } from './timestamp-generator';
import { accessTokenHash } from './token-hash';

/**
 * One request to sign, already checked by the caller: its resource server found (with
 * ClientJWTs on), the method and URL turned into `htm` and `htu`, the access token a valid
 * bearer token of at most `MAX_ACCESS_TOKEN_LENGTH` characters.
 */
export interface ClientJwtSigningRequest {
  server: ResourceServerConfig;
  htm: string;
  htu: string;
  /** The request URL as given: what the key resolver finds the server's key for. */
  url: string;
  accessToken: string;
  /** Where the server's key hints come from (`cnf`, `res_pub_key`). */
  oAuthToken: OAuthToken;
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
  /** The server's clock, as ClientJWT timestamps count it. */
  clock: TimestampSource;
}

/**
 * The ClientJWT signing behind `ClientJwtService` and `popInterceptor` (protocol section 3),
 * and the HMAC key life cycle: one key per resource server and access token, kept in the HMAC
 * key store, created on first use (key resolution, generation, encryption: code loaded then).
 * Per request, once the key is set up: a map lookup, the claims, one jose `CompactSign`.
 */
@Injectable({ providedIn: 'root' })
export class ClientJwtSigner {
  private readonly lifetime = lifetimeOf(inject(POP_CONFIG).clientJwt?.lifetimeSeconds);
  private readonly baseUri = inject(POP_BASE_URI);
  private readonly clock = inject(POP_CLOCK);
  private readonly keys = inject(KeyResolverService);
  private readonly hmacKeys = inject(HmacKeyGenerator);
  private readonly nonces = inject(NonceGenerator);
  private readonly timestamps = inject(TimestampGenerator);
  private readonly store = inject(POP_HMAC_KEY_STORE);
  private readonly keyCreation = new LazyPart((setup) => setup.createHmacKeyRecord);
  /** The key in use per resource server (`baseUrl` as configured): the per-request fast path. */
  private readonly sessions = new Map<string, KeySession>();

  /** A fresh ClientJWT; rejects with a `PopError` (key set-up, encryption or signing). */
  sign(request: ClientJwtSigningRequest): Promise<SignedClientJwt> {
    try {
      if (this.lifetime instanceof PopError) throw this.lifetime;
      const session = this.sessionFor(request);
      // Once the key is set up, sign without waiting on its promise: one hop less per request.
      return session.key ? this.signWith(session, session.key, request) : session.ready.then((key) => this.signWith(session, key, request));
    } catch (error) {
      return Promise.reject(error);
    }
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

  /** Drops the HMAC key that signed `signed`, here and in the key store. */
  async dropKey(signed: SignedClientJwt): Promise<void> {
    const session = this.sessions.get(signed.baseUrl);
    if (session?.key?.signingKey.kid === signed.kid) this.sessions.delete(signed.baseUrl);
    const accessToken = readClaims(signed.jwt, { maxLength: MAX_CLIENT_JWT_LENGTH })['access_token'];
    if (typeof accessToken !== 'string') {
      throw new PopError('token_claim_invalid', 'The ClientJWT has no access_token claim: no key to drop.');
    }
    await this.store.delete(await this.keyId(signed.baseUrl, accessToken), signed.kid);
  }

  /** Forgets every HMAC key: this page's and the key store's. */
  async clear(): Promise<void> {
    this.sessions.clear();
    await this.store.clear();
  }

  keyStorage(): Promise<HmacKeyStorage> {
    return this.store.storage();
  }

  private signWith(session: KeySession, key: ReadyKey, request: ClientJwtSigningRequest): Promise<SignedClientJwt> {
    const withHmacKey = !session.registered;
    const content = {
      accessToken: request.accessToken,
      htm: request.htm,
      htu: request.htu,
      lifetimeSeconds: this.lifetime as number,
      hmacKeyJwe: withHmacKey ? key.hmacKeyJwe : undefined,
    };
    let claims: ClientJwtClaims;
    try {
      claims = clientJwtClaims(content, this.nonces, session.clock);
    } catch (error) {
      return Promise.reject(error);
    }
    const kid = key.signingKey.kid;
    const baseUrl = request.server.baseUrl;
    return signClientJwt(claims, key.signingKey, (jwt) => ({ jwt, baseUrl, kid, withHmacKey }));
  }

  private sessionFor(request: ClientJwtSigningRequest): KeySession {
    const { server, accessToken } = request;
    const current = this.sessions.get(server.baseUrl);
    if (current && current.accessToken === accessToken) return current;
    // Another access token: its own key, from the store or new. The previous session is dropped
    // here (its record stays in the store until it expires: another tab may still use it).
    const ready = this.loadKey(request);
    const clock: TimestampSource = { generateTimestamp: () => this.timestamps.generateTimestamp(server.baseUrl) };
    const session: KeySession = { accessToken, registered: false, ready, clock };
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
  private async loadKey(request: ClientJwtSigningRequest): Promise<ReadyKey> {
    try {
      const id = await this.keyId(request.server.baseUrl, request.accessToken);
      const record = await this.store.getOrCreate(id, () => this.createKey(request));
      return { id, signingKey: { kid: record.kid, key: record.signingKey }, hmacKeyJwe: record.hmacKeyJwe, registered: record.registered };
    } catch (error) {
      if (isPopError(error)) throw error;
      throw new PopError('signing_failed', 'The HMAC key for ClientJWTs could not be set up.', { cause: error });
    }
  }

  private async createKey(request: ClientJwtSigningRequest): Promise<HmacKeyRecord> {
    const serverKey = await this.keys.resolve({ url: request.url, oAuthToken: request.oAuthToken });
    const jwk = await this.hmacKeys.generateHmacKey();
    // Loaded already by the key resolution (same chunk): no extra round trip.
    const createHmacKeyRecord = await this.keyCreation.load();
    return createHmacKeyRecord(jwk, serverKey, request.accessToken, this.clock());
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

/** The configured ClientJWT lifetime, or the error every signing then fails with (`POP_CONFIG` given without `providePop`). */
function lifetimeOf(configured: number | undefined): number | PopError {
  try {
    return checkLifetime(configured ?? DEFAULT_CLIENT_JWT_LIFETIME_SECONDS);
  } catch (error) {
    return error as PopError;
  }
}
