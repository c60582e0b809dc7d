import { HttpHeaders } from '@angular/common/http';
import { PopError } from '../errors/pop-error';
import { assertBearerToken } from '../tokens/bearer-token';

const BEARER_PREFIX = /^bearer +/i;

/**
 * The bearer token in a request's `Authorization` header: the token string, `null` when
 * there is no `Authorization` header or it uses another scheme (`Basic`, `DPoP`, …: not a
 * bearer token, so not this library's to wrap), or a `PopError` (token_malformed,
 * token_too_large) when a Bearer header holds something that is not a valid bearer token.
 */
export function bearerTokenOf(headers: HttpHeaders): string | null {
  const values = headers.getAll('Authorization');
  if (values === null || values.length === 0) return null;
  if (values.length > 1) {
    throw new PopError('token_malformed', 'The request has more than one Authorization header.');
  }
  const value = values[0] ?? '';
  if (!BEARER_PREFIX.test(value)) return null;
  const token = value.replace(BEARER_PREFIX, '').trim();
  assertBearerToken(token, 'The Authorization header\'s bearer token');
  return token;
}
