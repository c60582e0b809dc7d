import { LogLevel, type OpenIdConfiguration } from 'angular-auth-oidc-client';

/** The showcase's client at the provider (registered in projects/showcase-server/src/idp). */
export const CLIENT_ID = 'pop-lib-showcase';
/** The bank's API: pop-lib's resource server and the provider's resource indicator. */
export const BANK_BASE_URL = '/api';
export const PROVIDER_BASE_URL = '/idp';

/**
 * angular-auth-oidc-client's configuration for the showcase's OpenID provider, which runs on
 * the page's own origin: authorization code flow with PKCE, an access token for the bank
 * (RFC 8707 `resource` on both the authorization and the token request).
 */
export function showcaseAuthConfig(origin: string): OpenIdConfiguration {
  const bankResource = `${origin}${BANK_BASE_URL}`;
  return {
    authority: `${origin}${PROVIDER_BASE_URL}`,
    clientId: CLIENT_ID,
    redirectUrl: `${origin}/callback`,
    postLogoutRedirectUri: `${origin}/`,
    responseType: 'code',
    scope: 'openid accounts',
    // prompt=login: the provider asks for the password on every sign-in, so the encrypted
    // password step is always shown (its session would otherwise sign alice in silently).
    customParamsAuthRequest: { resource: bankResource, prompt: 'login' },
    customParamsCodeRequest: { resource: bankResource },
    // The token goes to the bank's API only, where popInterceptor wraps every bearer token into
    // a ClientJWT: never bare, never to the provider. (pop-lib fetches /api/pop-keys.json past
    // every interceptor, so the prefix gives that request no token.)
    secureRoutes: [`${BANK_BASE_URL}/`],
    // The access token is for the bank (its audience), not for the provider's userinfo endpoint.
    autoUserInfo: false,
    silentRenew: false,
    postLoginRoute: '/sign-in',
    unauthorizedRoute: '/sign-in',
    logLevel: LogLevel.Warn,
  };
}
