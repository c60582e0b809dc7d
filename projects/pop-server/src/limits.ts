/** Server-side defaults that are not part of the wire protocol (those live in ./protocol.ts). */

/** Upper bound for an HMAC key registration when the access token's `exp` is unknown or later. */
export const DEFAULT_MAX_KEY_TTL_SECONDS = 60 * 60;
