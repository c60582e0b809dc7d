import { PopError } from '../errors/pop-error';
import { MAX_TOKEN_LENGTH } from '../../protocol';

/** RFC 6750 section 2.1 `b64token`: what may follow "Bearer " in an Authorization header. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Checks that `token` can travel as a bearer token: a non-empty RFC 6750 `b64token` of at
 * most `maxLength` characters. Opaque (non-JWT) access tokens pass; so do JWTs.
 */
export function assertBearerToken(token: unknown, what: string, maxLength = MAX_TOKEN_LENGTH): asserts token is string {
  if (typeof token !== 'string') {
    throw new PopError('token_claim_invalid', `${what} is not a string.`);
  }
  if (token.length > maxLength) {
    throw new PopError('token_too_large', `${what} is ${token.length} characters long; the limit is ${maxLength}.`);
  }
  if (!B64TOKEN.test(token)) {
    throw new PopError('token_malformed', `${what} is empty or has characters a bearer token cannot have.`);
  }
}
