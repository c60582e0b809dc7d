/*
 * Public API of pop-lib. Export only what applications use; everything else stays internal.
 * PEM and Keycloak keys: the `pop-lib/pem` entry point. Nothing exported here may import the
 * key set-up code (`lib/key-setup/key-setup.ts`) statically: it is loaded on first use.
 */

// Errors
export { PopError, isPopError } from './lib/errors/pop-error';
export type { PopErrorCode } from './lib/errors/pop-error-code';

// Tokens
export { extractAccessToken } from './lib/tokens/access-token';
export type { OAuthToken, OAuthTokenResponse } from './lib/tokens/access-token';
export { readClaims } from './lib/tokens/read-claims';
export type { ReadClaimsOptions } from './lib/tokens/read-claims';

// Configuration
export { findResourceServer } from './lib/config/find-resource-server';
export type { PopConfig, ResourceServerConfig, ConfiguredKey, TokenProvider, ResolvedPopConfig } from './lib/config/pop-config';
export { POP_CONFIG, POP_DEFAULTS } from './lib/config/pop-config';
export { providePop } from './lib/config/provide-pop';
export { PopModule } from './lib/config/pop.module';
export { validatePopConfig } from './lib/config/validate-pop-config';
export { POP_BYPASS } from './lib/http/pop-http-context';

// Key resolution
export { KeyResolverService } from './lib/keys/key-resolver.service';
export type { KeyRequest, ResolvedKey, KeySource } from './lib/keys/key-resolver.service';
export { JwksCacheService } from './lib/keys/jwks-cache.service';
export { JWTPublicKeyExtractor } from './lib/keys/key-hints';
export { toEncryptionKey } from './lib/keys/to-encryption-key';
export { POP_CLOCK } from './lib/keys/pop-clock';
export type { EncryptionKey, KeyManagementAlgorithm } from './lib/keys/encryption-key';

// Credential encryption
export { CredentialEncryptionService } from './lib/credentials/credential-encryption.service';
export type { SecretEncryptionOptions } from './lib/credentials/credential-encryption.service';
export { SecureFieldDirective } from './lib/forms/secure-field.directive';
export type { SecureFieldError } from './lib/forms/secure-field.directive';
export { provideSecureField, SECURE_FIELD_OPTIONS } from './lib/forms/secure-field-options';
export type { SecureFieldOptions } from './lib/forms/secure-field-options';

// ClientJWT and interceptor
export { popInterceptor, PopInterceptor } from './lib/http/pop-interceptor';
export { ClientJwtService } from './lib/client-jwt/client-jwt.service';
export type { ClientJwtRequest, SignedClientJwt } from './lib/client-jwt/client-jwt.service';
export { POP_HMAC_KEY_DB_NAME } from './lib/client-jwt/pop-hmac-key-store';
export type { HmacKeyStorage } from './lib/client-jwt/hmac-key-store';
export { ClientJwtBuilder } from './lib/client-jwt/client-jwt-builder';
export type { NonceSource, TimestampSource } from './lib/client-jwt/client-jwt-claims';
export type { ClientJwtClaims, ClientJwtHeader, HmacJwk } from './protocol';
export { HmacKeyGenerator } from './lib/client-jwt/hmac-key-generator';
export type { HmacSigningKey } from './lib/client-jwt/hmac-key';
export { NonceGenerator } from './lib/client-jwt/nonce-generator';
export { TimestampGenerator } from './lib/client-jwt/timestamp-generator';
