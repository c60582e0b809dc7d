/**
 * The part of pop-lib loaded on first use (`loadKeySetup`), so apps do not carry it in their
 * initial bundle: finding and importing a resource server's key (token hints, JWKS fetching
 * and checking, key import) and encrypting to it with jose's JWE code (secrets, and the
 * `hmac_key` of a new HMAC key). Only `load-key-setup.ts` may import this module, and only
 * with `import()`; nothing outside it may import the modules below statically.
 */
export { createHmacKeyRecord } from '../client-jwt/hmac-key-creation';
export { SecretEncryption } from '../credentials/secret-encryption';
export { toEncryptionKey } from '../keys/encryption-key';
export { JwksCache } from '../keys/jwks-cache';
export { KeyResolution } from '../keys/key-resolution';
