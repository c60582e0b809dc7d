import { HttpHeaders } from '@angular/common/http';
import { MAX_TOKEN_LENGTH } from '../../protocol';
import { PopError } from '../errors/pop-error';
import { assertBearerToken } from '../tokens/bearer-token';

const BEARER_PREFIX = /^bearer +/i;

/**
 * The last `Authorization` value found to hold a valid bearer token, and the token: an app
 * sends the same header with every request, and a string that passed the checks passes them
 * again, so the next request with that value is not scanned again.
 */
let lastValid: { value: string; maxLength: number; token: string } | undefined;

/**
 * The bearer token in a request's `Authorization` header: the token string, `null` when
 * there is no `Authorization` header or it uses another scheme (`Basic`, `DPoP`, …: not a
 * bearer token, so not this library's to wrap), or a `PopError` (token_malformed,
 * token_too_large) when a Bearer header holds something that is not a valid bearer token of
 * at most `maxLength` characters.
 */
export function bearerTokenOf(headers: HttpHeaders, maxLength = MAX_TOKEN_LENGTH): string | null {
  const values = headers.getAll('Authorization');
  if (values === null || values.length === 0) return null;
  if (values.length > 1) {
    throw new PopError('token_malformed', 'The request has more than one Authorization header.');
  }
  const value = values[0] ?? '';
  if (lastValid !== undefined && lastValid.value === value && lastValid.maxLength === maxLength) return lastValid.token;
  const scheme = BEARER_PREFIX.exec(value);
  if (scheme === null) return null;
  const token = value.slice(scheme[0].length).trim();
  assertBearerToken(token, 'The Authorization header\'s bearer token', maxLength);
  lastValid = { value, maxLength, token };
  return token;
}
