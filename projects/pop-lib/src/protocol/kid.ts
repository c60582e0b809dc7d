/** Key id syntax (docs/protocol.md section 5), checked before a kid touches a store or cache key. */
import { MAX_KID_LENGTH } from './limits.ts';

/**
 * A server key's `kid` (in a JWKS, `cnf.kid` or a JWE header): base64url characters plus the
 * few that real key ids use (`.` `~` `@` `:` `+` `=`, as in RFC 7520's
 * "bilbo.baggins@hobbiton.example"). Never `/`, whitespace or control characters, so a kid
 * cannot forge another `{baseUrl}/{kid}/{use}` cache address.
 */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_\-.~@:+=]+$/;
/** The HMAC key's `kid` (the ClientJWT header's): base64url only; the client sends 128 random bits. */
export const HMAC_KID_PATTERN = /^[A-Za-z0-9_-]+$/;

export function isKeyId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_KID_LENGTH && KEY_ID_PATTERN.test(value);
}

export function isHmacKid(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_KID_LENGTH && HMAC_KID_PATTERN.test(value);
}
