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

// Configuration (issue 3)
export { findResourceServer } from './lib/config/find-resource-server';
export type { PopConfig, ResourceServerConfig, ConfiguredKey, KeycloakAdapterConfig, TokenProvider } from './lib/config/pop-config';

// Key resolution (issue 3)
export { KeyResolverService } from './lib/keys/key-resolver.service';
export type { KeyRequest, ResolvedKey, KeySource } from './lib/keys/key-resolver.service';
export type { EncryptionKey, KeyManagementAlgorithm } from './lib/keys/encryption-key';

// Credential encryption (issue 4)
export { CredentialEncryptionService } from './lib/credentials/credential-encryption.service';

// ClientJWT and interceptor (issue 5)
