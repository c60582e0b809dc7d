/** Defaults shared by the verifier and the credential decryptor (protocol §4, §5). */
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
export const DEFAULT_MAX_JWE_BYTES = 16 * 1024;
export const DEFAULT_SKEW_SECONDS = 30;
export const DEFAULT_MAX_LIFETIME_SECONDS = 120;
/** Upper bound for an HMAC key registration when the access token's `exp` is unknown or later. */
export const DEFAULT_MAX_KEY_TTL_SECONDS = 60 * 60;
/** Smallest accepted HMAC key: 256 bits. */
export const MIN_HMAC_KEY_BYTES = 32;
/** Largest accepted HMAC key: a client has no reason to send more than 512 bits. */
export const MAX_HMAC_KEY_BYTES = 64;
