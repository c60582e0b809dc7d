import { TOKEN_BOUND_TO_ANOTHER_KEY } from '../../protocol';
import { bearerChallenge } from './bearer-challenge';

/** The Bearer challenge's `error`, as the interceptor reads it. */
function bearerChallengeError(header: string | null | undefined): string | undefined {
  return bearerChallenge(header)?.error;
}

describe('bearerChallenge: error', () => {
  it('reads the error of a Bearer challenge, quoted or not, any case of scheme', () => {
    expect(bearerChallengeError('Bearer error="unknown_hmac_key"')).toBe('unknown_hmac_key');
    expect(bearerChallengeError('Bearer realm="bank", error="unknown_hmac_key", error_description="x, y"')).toBe('unknown_hmac_key');
    expect(bearerChallengeError('bearer error=invalid_token')).toBe('invalid_token');
    expect(bearerChallengeError('BEARER   error = "replayed_nonce"')).toBe('replayed_nonce');
  });

  it('finds the Bearer challenge among several', () => {
    expect(bearerChallengeError('Basic realm="x", Bearer error="unknown_hmac_key"')).toBe('unknown_hmac_key');
    expect(bearerChallengeError('Newauth realm="apps", type=1, Bearer realm="b", error="invalid_token"')).toBe('invalid_token');
  });

  it('never takes another scheme\'s error for a Bearer error', () => {
    expect(bearerChallengeError('DPoP error="unknown_hmac_key"')).toBeUndefined();
    expect(bearerChallengeError('Bearer realm="b", DPoP error="unknown_hmac_key"')).toBeUndefined();
    expect(bearerChallengeError('Basic realm="error=unknown_hmac_key"')).toBeUndefined();
  });

  it('does not read values smuggled inside other quoted parameters', () => {
    expect(bearerChallengeError('Bearer realm="a, error=unknown_hmac_key"')).toBeUndefined();
    expect(bearerChallengeError('Bearer error_description="error=\\"unknown_hmac_key\\""')).toBeUndefined();
  });

  it('returns undefined for missing, empty, unparsable or oversized headers', () => {
    expect(bearerChallengeError(null)).toBeUndefined();
    expect(bearerChallengeError(undefined)).toBeUndefined();
    expect(bearerChallengeError('')).toBeUndefined();
    expect(bearerChallengeError('Bearer')).toBeUndefined();
    expect(bearerChallengeError('"Bearer error=unknown_hmac_key"')).toBeUndefined();
    expect(bearerChallengeError(`Bearer error="unknown_hmac_key", x="${'a'.repeat(5000)}"`)).toBeUndefined();
  });

  it('unescapes quoted-pair characters', () => {
    expect(bearerChallengeError('Bearer error="unknown\\_hmac_key"')).toBe('unknown_hmac_key');
  });

  it('ignores a Bearer challenge that names a parameter twice (RFC 7235: ambiguous)', () => {
    expect(bearerChallengeError('Bearer error="invalid_token", error="unknown_hmac_key"')).toBeUndefined();
    expect(bearerChallenge('Bearer error="invalid_token", error_description="a", ERROR_DESCRIPTION="b"')).toBeUndefined();
  });
});

describe('bearerChallenge: error_description', () => {
  const bound = `Bearer error="invalid_token", error_description="${TOKEN_BOUND_TO_ANOTHER_KEY}"`;

  it('reads error and error_description of the Bearer challenge', () => {
    expect(bearerChallenge(bound)).toEqual({ error: 'invalid_token', errorDescription: TOKEN_BOUND_TO_ANOTHER_KEY });
    expect(bearerChallenge('Bearer realm="bank", error_description="x, \\"y\\"", error=invalid_token')).toEqual({ error: 'invalid_token', errorDescription: 'x, "y"' });
    expect(bearerChallenge('Basic realm="x", Bearer')).toEqual({});
  });

  it('reads only the first Bearer challenge, never another scheme\'s parameters', () => {
    expect(bearerChallenge(`DPoP error="invalid_token", error_description="${TOKEN_BOUND_TO_ANOTHER_KEY}"`)).toBeUndefined();
    expect(bearerChallenge(`Bearer error="invalid_token", DPoP error_description="${TOKEN_BOUND_TO_ANOTHER_KEY}"`)).toEqual({ error: 'invalid_token' });
    expect(bearerChallenge(`Bearer error="replayed_nonce", ${bound}`)).toEqual({ error: 'replayed_nonce' });
  });

  it('does not read a description smuggled inside another quoted value', () => {
    expect(bearerChallenge(`Bearer error="invalid_token", realm="error_description=\\"${TOKEN_BOUND_TO_ANOTHER_KEY}\\""`)).toEqual({ error: 'invalid_token' });
    expect(bearerChallenge(`Basic realm="${bound.replace(/"/g, '\\"')}"`)).toBeUndefined();
  });

  it('reads nothing from hostile shapes: oversized, parameter before any scheme, broken quoting', () => {
    expect(bearerChallenge(`${bound}, x="${'a'.repeat(4096)}"`)).toBeUndefined();
    expect(bearerChallenge(`error="invalid_token", ${bound}`)).toBeUndefined();
    expect(bearerChallenge('Bearer error="invalid_token, error_description="x')?.error).toBeUndefined();
    expect(bearerChallenge('Bearer error="invalid_token')?.error).toBeUndefined();
    expect(bearerChallenge(`Bearer error_description="${TOKEN_BOUND_TO_ANOTHER_KEY}`)?.errorDescription).toBeUndefined();
    expect(bearerChallenge(`${'Bearer ,'.repeat(500)}`)).toEqual({});
  });
});
