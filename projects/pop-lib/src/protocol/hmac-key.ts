import type { CLIENT_JWT_ALG } from './client-jwt.ts';

/**
 * The per-token HMAC key (docs/protocol.md section 3) as it travels, encrypted, to the
 * resource server inside `hmac_key`.
 */
export interface HmacJwk {
  kty: 'oct';
  alg: typeof CLIENT_JWT_ALG;
  /** `HMAC_KID_BYTES` random bytes, base64url. */
  kid: string;
  /** The key, base64url. */
  k: string;
}

/** Size of the HMAC keys the client generates (256 bits). */
export const HMAC_KEY_BYTES = 32;
/** Smallest and largest HMAC key the server accepts (256 to 512 bits). */
export const MIN_HMAC_KEY_BYTES = 32;
export const MAX_HMAC_KEY_BYTES = 64;
/** Random bytes in an HMAC key's `kid` (128 bits). */
export const HMAC_KID_BYTES = 16;
