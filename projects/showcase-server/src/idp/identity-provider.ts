/**
 * The showcase's OpenID provider: node-oidc-provider (a certified OpenID Connect implementation),
 * configured for one public client that signs in with the authorization code flow and PKCE,
 * and issues JWT access tokens for one resource server, the bank (RFC 8707 resource indicators,
 * RFC 9068 JWT access tokens). Its login page is a route of the showcase app, behind the
 * provider's routes in login-routes.ts; there are no built-in development screens.
 */
import { randomBytes } from 'node:crypto';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { ServerKeys } from '../../../pop-server/src/index.ts';
import type { ShowcaseUrls } from '../showcase-urls.ts';
import { findAccount } from './accounts.ts';
import { keyHintClaims, type KeyHint } from './key-hint.ts';
import { memoryAdapterFactory } from './memory-adapter.ts';
import { renderError } from './render-error.ts';
import type { SigningKeys } from './signing-keys.ts';

export const SHOWCASE_CLIENT_ID = 'pop-lib-showcase';
/** The one scope the bank defines. */
export const BANK_SCOPE = 'accounts';
/**
 * An hour, oidc-provider's default: a session outlives a form left open for a while (the secret
 * field keeps its JWE fresh meanwhile). A logged token is useless without the HMAC key it is
 * bound to; the lifetime still bounds a token stolen before its first use (docs/security.md).
 */
export const ACCESS_TOKEN_SECONDS = 60 * 60;

export interface IdentityProviderOptions {
  urls: ShowcaseUrls;
  signingKeys: SigningKeys;
  /** The bank's encryption keys, named in each access token (see key-hint.ts). */
  bankKeys: ServerKeys;
  keyHint: KeyHint;
}

export function createIdentityProvider(options: IdentityProviderOptions): Provider {
  const { urls } = options;
  const issuerPath = new URL(urls.issuer).pathname;

  const configuration: Configuration = {
    adapter: memoryAdapterFactory(),
    jwks: options.signingKeys.privateJwks,
    // Signs the provider's cookies; new on every start, like the keys.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    clients: [
      {
        client_id: SHOWCASE_CLIENT_ID,
        client_name: 'pop-lib showcase',
        application_type: 'web',
        token_endpoint_auth_method: 'none', // a browser app holds no secret: PKCE protects the code
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [urls.redirectUri],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    scopes: ['openid'],
    pkce: { required: () => true },
    findAccount: (_ctx, accountId) => findAccount(accountId),
    // The login page is the showcase's Angular route; this backend route forwards to it.
    interactions: { url: (_ctx, interaction) => `${issuerPath}/interaction/${interaction.uid}` },
    loadExistingGrant: (ctx) => loadOrGrantFirstParty(ctx, urls.bankResource),
    extraTokenClaims: (_ctx, token) =>
      token.resourceServer?.identifier() === urls.bankResource ? keyHintClaims(options.keyHint, options.bankKeys, urls.bankJwks) : undefined,
    clientBasedCORS: (_ctx, origin) => origin === urls.publicOrigin,
    renderError,
    features: {
      devInteractions: { enabled: false },
      // ClientJWTs bind the showcase's tokens; DPoP would also take over the token's `cnf` claim.
      dPoP: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo: (_ctx, resource, client) => {
          if (resource !== urls.bankResource || client.clientId !== SHOWCASE_CLIENT_ID) throw new errors.InvalidTarget();
          return {
            scope: BANK_SCOPE,
            audience: urls.bankResource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_SECONDS,
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_SECONDS,
      AuthorizationCode: 60,
      IdToken: ACCESS_TOKEN_SECONDS,
      Interaction: 10 * 60,
      Session: 60 * 60,
      Grant: 60 * 60,
    },
  };
  return new Provider(urls.issuer, configuration);
}

/**
 * Consent: the showcase is the provider's own (first-party) client, so consent is implied and
 * granted here, for exactly what it asks for: `openid` and the bank's scope. Any other client
 * or scope would still get oidc-provider's consent prompt.
 */
async function loadOrGrantFirstParty(ctx: KoaContextWithOIDC, bankResource: string) {
  const { client, session, result } = ctx.oidc;
  if (!client || !session) return undefined;
  const grantId = result?.['consent']?.grantId ?? session.grantIdFor(client.clientId);
  if (grantId) return ctx.oidc.provider.Grant.find(grantId);
  if (client.clientId !== SHOWCASE_CLIENT_ID || !session.accountId) return undefined;
  const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  grant.addOIDCScope('openid');
  grant.addResourceScope(bankResource, BANK_SCOPE);
  await grant.save();
  return grant;
}
