import { computed, Injectable, signal } from '@angular/core';
import { extractAccessToken, readClaims, type OAuthTokenResponse, type ResourceServerConfig, type TokenProvider } from 'pop-lib';

const STORAGE_KEY = 'pop-showcase.session';
/** The identity provider's resource server entry (see app.config.ts). */
const IDP_BASE_URL = '/idp';

/**
 * Holds the token response after login. Kept in `sessionStorage` (this tab only, gone when it
 * closes) so a reload keeps the demo logged in; the token is bound to this client by the
 * ClientJWT, and an app with stricter needs keeps it in memory only.
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly response = signal<OAuthTokenResponse | null>(loadStored());

  readonly tokenResponse = this.response.asReadonly();
  readonly accessToken = computed(() => {
    const response = this.response();
    return response ? extractAccessToken(response) : null;
  });
  /** The access token's `sub` (read, not verified: the browser cannot verify it). */
  readonly username = computed(() => {
    const token = this.accessToken();
    const sub = token ? readClaims(token).sub : undefined;
    return typeof sub === 'string' ? sub : null;
  });
  readonly loggedIn = computed(() => this.accessToken() !== null);

  /**
   * pop-lib's token provider: the session's token for the bank, none for the identity
   * provider — its key comes from `/idp/pop-keys.json`, never from a (previous) token's `cnf`.
   */
  readonly tokenProvider: TokenProvider = (server: ResourceServerConfig) =>
    server.baseUrl === IDP_BASE_URL ? null : this.response();

  /** Stores a token endpoint response; throws a PopError when it carries no usable access token. */
  signIn(response: OAuthTokenResponse): void {
    extractAccessToken(response);
    this.response.set(response);
    storage()?.setItem(STORAGE_KEY, JSON.stringify(response));
  }

  signOut(): void {
    this.response.set(null);
    storage()?.removeItem(STORAGE_KEY);
  }
}

function storage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined; // storage disabled: the session lives in memory only
  }
}

/** The stored response, unless it is unreadable or its access token has expired. */
function loadStored(): OAuthTokenResponse | null {
  try {
    const stored = storage()?.getItem(STORAGE_KEY);
    if (!stored) return null;
    const response = JSON.parse(stored) as OAuthTokenResponse;
    const exp = readClaims(extractAccessToken(response)).exp;
    return typeof exp === 'number' && exp * 1000 > Date.now() ? response : null;
  } catch {
    return null;
  }
}
