import { PopError } from '../errors/pop-error';
import { PopErrorCode } from '../errors/pop-error-code';

/** Longest `kid` accepted (protocol section 5). */
export const MAX_KID_LENGTH = 128;
/**
 * base64url characters plus the few that real key ids use (`.` `~` `@` `:` `+` `=`, as in
 * RFC 7520's "bilbo.baggins@hobbiton.example"). No `/`, whitespace or control characters, so
 * a kid can never forge another entry's `{baseUrl}/{kid}/{use}` cache key.
 */
const KID = /^[A-Za-z0-9_\-.~@:+=]+$/;

/** Checks a `kid` before it touches the key bag or any cache key. */
export function assertKid(kid: unknown, what: string, code: PopErrorCode): asserts kid is string {
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID_LENGTH || !KID.test(kid)) {
    const shown = typeof kid === 'string' ? JSON.stringify(kid.slice(0, 40)) : typeof kid;
    throw new PopError(code, `${what} ${shown} is not a valid kid (1 to ${MAX_KID_LENGTH} characters [A-Za-z0-9_-.~@:+=]).`);
  }
}
