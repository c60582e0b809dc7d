import { InjectionToken } from '@angular/core';
import type { JWK } from 'jose';
import { DEFAULT_CLIENT_JWT_LIFETIME_SECONDS, DEFAULT_MAX_SECRET_BYTES } from '../../protocol';
import type { OAuthToken } from '../tokens/access-token';

/**
 * A statically configured public key for a resource server: a public JWK, or a key loaded at
 * first use, such as `pemKey(pem)` and `keycloakKey(json)` from `pop-lib/pem`.
 */
export type ConfiguredKey = { jwk: JWK } | { load(): Promise<JWK> };

/** One server the app talks to, identified by the URL prefix of its requests. */
export interface ResourceServerConfig {
  /** `https://host[:port]/context-root`. Requests under it belong to this server. */
  baseUrl: string;
  /**
   * The server's public key, given by configuration. It pins the server: keys named by
   * tokens (`cnf`, `res_pub_key`) and its JWKS are then never used for it.
   */
  key?: ConfiguredKey;
  /** Where to fetch the server's JWKS (the last key source). Default `{baseUrl}/pop-keys.json`. */
  jwksUrl?: string;
  /** Origins a `cnf.jku` may point to. Default: the origins of all configured servers. */
  allowedJkuOrigins?: string[];
  /** Wrap bearer tokens sent to this server into ClientJWTs. Default true. */
  clientJwt?: boolean;
}

/**
 * Supplies the OAuth token (access token, wrapper JWT or token response) the library reads
 * key hints from, and wraps when a request carries no `Authorization` header. Called in the
 * application's injection context, so it may `inject()` an auth library's service:
 * `tokenProvider: () => firstValueFrom(inject(OidcSecurityService).getAccessToken())`.
 * `null`, `undefined` and `''` mean "no token": the request is sent unchanged.
 */
export type TokenProvider = (
  resourceServer: ResourceServerConfig,
) => OAuthToken | null | undefined | Promise<OAuthToken | null | undefined>;

/** What an app passes to `providePop(...)` or `PopModule.forRoot(...)`. */
export interface PopConfig {
  resourceServers: ResourceServerConfig[];
  /**
   * Name of the token claim carrying the server's JWK, or `false` to never take a key
   * from such a claim. Default `res_pub_key`. Ignored for servers with a configured `key`.
   */
  keyClaim?: string | false;
  /**
   * Read the server's key from the access token's `cnf` claim. Default true. Ignored for
   * servers with a configured `key`. RFC 7800 defines `cnf` as the *client's* key: see
   * docs/security.md before relying on it.
   */
  useCnfClaim?: boolean;
  tokenProvider?: TokenProvider;
  jwks?: {
    /** Cache lifetime when the response has no `Cache-Control: max-age`. Default 300 000. */
    defaultMaxAgeMs?: number;
    /** Least time between two refetches caused by an unknown `kid`. Default 30 000. */
    refetchCooldownMs?: number;
    /** Default 5 000. */
    timeoutMs?: number;
  };
  clientJwt?: {
    /** ClientJWT lifetime in seconds (`exp - timestamp`), 1 to 120. Default 30. */
    lifetimeSeconds?: number;
  };
  credentials?: {
    /** Longest secret `secureField` and `encrypt` accept, in UTF-8 bytes, 1 to 8192. Default 4096. */
    maxSecretBytes?: number;
  };
}

/** The configuration with every default filled in (see `POP_DEFAULTS`). */
export interface ResolvedPopConfig extends PopConfig {
  keyClaim: string | false;
  useCnfClaim: boolean;
  jwks: Required<NonNullable<PopConfig['jwks']>>;
  clientJwt: Required<NonNullable<PopConfig['clientJwt']>>;
  credentials: Required<NonNullable<PopConfig['credentials']>>;
}

/** Longest a JWKS is cached (one day): the most `jwks.defaultMaxAgeMs` and `Cache-Control: max-age` may give. */
export const MAX_JWKS_CACHE_MS = 86_400_000;

/** The defaults `providePop` and `PopModule.forRoot` fill in. */
export const POP_DEFAULTS = {
  keyClaim: 'res_pub_key',
  useCnfClaim: true,
  jwks: { defaultMaxAgeMs: 300_000, refetchCooldownMs: 30_000, timeoutMs: 5_000 },
  clientJwt: { lifetimeSeconds: DEFAULT_CLIENT_JWT_LIFETIME_SECONDS },
  credentials: { maxSecretBytes: DEFAULT_MAX_SECRET_BYTES },
} as const;

/**
 * The validated configuration, as services inject it. `providePop` and `PopModule.forRoot`
 * provide a `ResolvedPopConfig` (defaults filled in); code that reads it should still apply
 * `resolvePopConfig` when it may be given a bare `PopConfig` (e.g. in tests).
 */
export const POP_CONFIG = new InjectionToken<PopConfig>('POP_CONFIG');
