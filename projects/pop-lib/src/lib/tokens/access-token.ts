import { assertBearerToken } from './bearer-token';
import { MAX_TOKEN_LENGTH } from '../../protocol';
import { readClaims, ReadClaimsOptions } from './read-claims';

/** An OAuth 2.0 token response (RFC 6749 section 5.1), as auth libraries hand it over. */
export interface OAuthTokenResponse {
  access_token: string;
  [member: string]: unknown;
}

/**
 * What an app may hold after logging in: the access token itself (a compact JWT), a JWT
 * wrapping it in an `access_token` claim, or the token endpoint's response object.
 */
export type OAuthToken = string | OAuthTokenResponse;

/**
 * Returns the access token inside `oAuthToken` (an OAuth token response, a wrapper JWT, or the token).
 * A compact JWT with an `access_token` claim is a wrapper and yields that claim; any other
 * compact JWT is the access token itself. The token found inside a wrapper or a response
 * object may be opaque, but must be a valid bearer token.
 */
export function extractAccessToken(oAuthToken: OAuthToken, options: ReadClaimsOptions = {}): string {
  const maxLength = options.maxLength ?? MAX_TOKEN_LENGTH;
  if (typeof oAuthToken === 'object' && oAuthToken !== null) {
    const accessToken: unknown = oAuthToken.access_token;
    assertBearerToken(accessToken, 'The token response\'s "access_token" member', maxLength);
    return accessToken;
  }
  const claims = readClaims(oAuthToken, options);
  if (!('access_token' in claims)) {
    return oAuthToken;
  }
  const inner = claims['access_token'];
  assertBearerToken(inner, 'The "access_token" claim', maxLength);
  return inner;
}
