import { isPopError } from '../errors/pop-error';
import { b64, makeJwt, segments } from '../testing/tokens';
import { readClaims } from './read-claims';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isPopError(e) ? e.code : `not a PopError: ${String(e)}`;
  }
  return undefined;
}

describe('readClaims', () => {
  const header = b64('{"alg":"HS256"}');

  it('returns the payload of a compact JWT', async () => {
    const token = await makeJwt({ sub: 'alice', scope: 'pin' });
    expect(readClaims(token)).toEqual(jasmine.objectContaining({ sub: 'alice', scope: 'pin' }));
  });

  it('rejects an empty string as malformed', () => {
    expect(codeOf(() => readClaims(''))).toBe('token_malformed');
  });

  it('rejects a value that is not a string', () => {
    expect(codeOf(() => readClaims(42 as unknown as string))).toBe('token_malformed');
  });

  it('rejects two and four segments', () => {
    expect(codeOf(() => readClaims(segments(header, b64('{}'))))).toBe('token_malformed');
    expect(codeOf(() => readClaims(segments(header, b64('{}'), 'sig', 'extra')))).toBe('token_malformed');
  });

  it('rejects segments that are not base64url', () => {
    expect(codeOf(() => readClaims(segments(header, 'e30=', 'sig')))).toBe('token_malformed');
    expect(codeOf(() => readClaims(segments(header, 'a+b/', 'sig')))).toBe('token_malformed');
    expect(codeOf(() => readClaims(segments(header, 'ab cd', 'sig')))).toBe('token_malformed');
  });

  it('rejects a payload that is not JSON', () => {
    expect(codeOf(() => readClaims(segments(header, b64('not json'), 'sig')))).toBe('token_malformed');
  });

  it('rejects a payload that is JSON but not an object', () => {
    for (const payload of ['[1,2]', '"text"', '42', 'null', 'true']) {
      expect(codeOf(() => readClaims(segments(header, b64(payload), 'sig'))))
        .withContext(payload)
        .toBe('token_malformed');
    }
  });

  it('rejects a token over 16 KiB before decoding it', () => {
    const big = segments(header, b64(JSON.stringify({ pad: 'x'.repeat(16 * 1024) })), 'sig');
    expect(codeOf(() => readClaims(big))).toBe('token_too_large');
  });

  it('honours a configured size limit', async () => {
    const token = await makeJwt({ sub: 'alice' });
    expect(codeOf(() => readClaims(token, { maxLength: 20 }))).toBe('token_too_large');
    expect(codeOf(() => readClaims(token, { maxLength: token.length }))).toBeUndefined();
  });
});
