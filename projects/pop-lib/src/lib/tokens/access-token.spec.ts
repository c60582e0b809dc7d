import { isPopError, PopError } from '../errors/pop-error';
import { PopErrorCode } from '../errors/pop-error-code';
import { b64, makeJwt, segments } from '../testing/tokens';
import { extractAccessToken, OAuthToken } from './access-token';

function errorOf(token: OAuthToken): PopError | undefined {
  try {
    extractAccessToken(token);
  } catch (e) {
    if (isPopError(e)) return e;
    throw e;
  }
  return undefined;
}

describe('extractAccessToken', () => {
  it('returns a compact JWT that has no access_token claim unchanged', async () => {
    const accessToken = await makeJwt({ sub: 'alice', aud: 'bank' });
    expect(extractAccessToken(accessToken)).toBe(accessToken);
  });

  it('returns the access_token claim of a wrapper JWT', async () => {
    const accessToken = await makeJwt({ sub: 'alice' });
    const wrapper = await makeJwt({ access_token: accessToken, res_pub_key: { kty: 'EC' } });
    expect(extractAccessToken(wrapper)).toBe(accessToken);
  });

  it('returns the access_token of a token response object', async () => {
    const accessToken = await makeJwt({ sub: 'alice' });
    expect(extractAccessToken({ access_token: accessToken, token_type: 'Bearer', expires_in: 300 })).toBe(accessToken);
  });

  it('accepts an opaque access token inside a token response', () => {
    expect(extractAccessToken({ access_token: 'opaque-Token_123.abc~' })).toBe('opaque-Token_123.abc~');
  });

  it('rejects an access_token claim that is not a string', async () => {
    for (const claim of [42, { nested: 'x' }, ['a'], null, true]) {
      const wrapper = await makeJwt({ access_token: claim });
      expect(errorOf(wrapper)?.code).withContext(JSON.stringify(claim)).toBe('token_claim_invalid');
    }
  });

  it('rejects a token response whose access_token is missing or not a string', () => {
    expect(errorOf({ token_type: 'Bearer' } as unknown as OAuthToken)?.code).toBe('token_claim_invalid');
    expect(errorOf({ access_token: 7 } as unknown as OAuthToken)?.code).toBe('token_claim_invalid');
  });

  it('rejects an access token that cannot be a bearer token', async () => {
    expect(errorOf({ access_token: '' })?.code).toBe('token_malformed');
    expect(errorOf({ access_token: 'has space' })?.code).toBe('token_malformed');
    expect(errorOf({ access_token: 'line\r\nX-Injected: 1' })?.code).toBe('token_malformed');
    const wrapper = await makeJwt({ access_token: 'a"b' });
    expect(errorOf(wrapper)?.code).toBe('token_malformed');
  });

  it('rejects an oversized access token inside a wrapper or a response', async () => {
    const huge = 'a'.repeat(16 * 1024 + 1);
    expect(errorOf({ access_token: huge })?.code).toBe('token_too_large');
    const wrapper = await makeJwt({ access_token: 'a'.repeat(12 * 1024) });
    expect(extractAccessToken(wrapper, { maxLength: 32 * 1024 }).length).toBe(12 * 1024);
    expect(errorOf(wrapper)?.code).toBe('token_too_large');
  });

  it('rejects hostile strings with typed errors, never a crash', () => {
    const header = b64('{"alg":"none"}');
    const cases: [string, PopErrorCode][] = [
      ['', 'token_malformed'],
      [segments(header, b64('{}')), 'token_malformed'],
      [segments(header, b64('{}'), 'x', 'y'), 'token_malformed'],
      [segments(header, '!!!', 'x'), 'token_malformed'],
      [segments(header, b64('[]'), 'x'), 'token_malformed'],
      ['x'.repeat(20000), 'token_too_large'],
    ];
    for (const [token, code] of cases) {
      expect(errorOf(token)?.code).withContext(token.slice(0, 40)).toBe(code);
    }
  });
});
