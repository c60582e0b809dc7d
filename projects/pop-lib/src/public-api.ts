/*
 * Public API of pop-lib. Export only what applications use; everything else stays internal.
 */

// Errors
export { PopError, isPopError } from './lib/errors/pop-error';
export type { PopErrorCode } from './lib/errors/pop-error-code';

// Tokens
export { extractAccessToken } from './lib/tokens/access-token';
export type { OAuthToken, OAuthTokenResponse } from './lib/tokens/access-token';
export { readClaims } from './lib/tokens/read-claims';
export type { ReadClaimsOptions } from './lib/tokens/read-claims';
