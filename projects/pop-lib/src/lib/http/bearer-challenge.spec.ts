import { bearerChallengeError } from './bearer-challenge';

describe('bearerChallengeError', () => {
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
});
