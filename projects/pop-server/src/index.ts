/**
 * pop-lib-server: the server half of pop-lib's protocol, framework-agnostic. Framework
 * adapters and the Redis store have their own entry points (`/express`, `/fastify`, `/fetch`,
 * `/redis`), so importing this one never needs a framework or `redis`.
 */
export { createVerifier } from './verifier.ts';
export type { AccessTokenContext, AccessTokenValidator, VerifiedRequest, Verifier, VerifierOptions, VerifyRequest } from './verifier.ts';
export type { ClientJwtClaims } from './client-jwt-claims.ts';
export { decryptCredential } from './decrypt-credential.ts';
export type { DecryptCredentialOptions, LegacyUnboundOptions, SecretFieldOptions } from './decrypt-credential.ts';
export { isVerificationError, PopServerConfigError, VerificationError } from './errors.ts';
export type { VerificationErrorCode, VerificationReason } from './errors.ts';
export { createServerKeys, generateServerKeys, loadServerKeys, SERVER_KEY_ALGORITHMS } from './server-keys.ts';
export type { ServerKey, ServerKeyAlgorithm, ServerKeyInput, ServerKeys } from './server-keys.ts';
export { popKeysResponse } from './pop-keys.ts';
export type { PopKeysResponse } from './pop-keys.ts';
export { jwksAccessTokenValidator } from './access-token-validator.ts';
export type { JwksValidatorOptions } from './access-token-validator.ts';
export { StoreUnavailableError } from './store.ts';
export type { PopStore } from './store.ts';
export { MemoryStore } from './memory-store.ts';
export type { MemoryStoreOptions } from './memory-store.ts';
