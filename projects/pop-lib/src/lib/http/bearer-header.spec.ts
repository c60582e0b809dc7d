import { HttpHeaders } from '@angular/common/http';
import { isPopError } from '../errors/pop-error';
import { bearerTokenOf } from './bearer-header';
import { errorOf } from '../testing/errors';

describe('bearerTokenOf', () => {
  it('returns the token of a Bearer header, scheme in any case', () => {
    expect(bearerTokenOf(new HttpHeaders({ Authorization: 'Bearer abc.def.ghi' }))).toBe('abc.def.ghi');
    expect(bearerTokenOf(new HttpHeaders({ authorization: 'bearer  opaque-token=' }))).toBe('opaque-token=');
  });

  it('returns null without an Authorization header or with another scheme', () => {
    expect(bearerTokenOf(new HttpHeaders())).toBeNull();
    expect(bearerTokenOf(new HttpHeaders({ Authorization: 'Basic YWxpY2U6cHc=' }))).toBeNull();
    expect(bearerTokenOf(new HttpHeaders({ Authorization: 'DPoP abc' }))).toBeNull();
    expect(bearerTokenOf(new HttpHeaders({ Authorization: 'Bearerabc' }))).toBeNull();
  });

  it('rejects a Bearer header that does not hold a valid bearer token', () => {
    expect(isPopError(errorOf(() => bearerTokenOf(new HttpHeaders({ Authorization: 'Bearer ' }))), 'token_malformed')).toBeTrue();
    expect(isPopError(errorOf(() => bearerTokenOf(new HttpHeaders({ Authorization: 'Bearer a b' }))), 'token_malformed')).toBeTrue();
    expect(isPopError(errorOf(() => bearerTokenOf(new HttpHeaders({ Authorization: 'Bearer a"b' }))), 'token_malformed')).toBeTrue();
    const huge = `Bearer ${'a'.repeat(16 * 1024 + 1)}`;
    expect(isPopError(errorOf(() => bearerTokenOf(new HttpHeaders({ Authorization: huge }))), 'token_too_large')).toBeTrue();
  });

  it('holds the token to a given length limit (the access token a ClientJWT may wrap)', () => {
    const token = 'a'.repeat(8 * 1024);
    expect(bearerTokenOf(new HttpHeaders({ Authorization: `Bearer ${token}` }), 8 * 1024)).toBe(token);
    expect(isPopError(errorOf(() => bearerTokenOf(new HttpHeaders({ Authorization: `Bearer ${token}a` }), 8 * 1024)), 'token_too_large')).toBeTrue();
  });

  it('remembers only a valid value: an invalid one fails every time, and a limit is never carried over', () => {
    const valid = new HttpHeaders({ Authorization: 'Bearer abc.def.ghi' });
    const invalid = new HttpHeaders({ Authorization: 'Bearer abc def' });
    const long = new HttpHeaders({ Authorization: `Bearer ${'a'.repeat(8 * 1024 + 1)}` });
    for (let i = 0; i < 2; i++) {
      expect(bearerTokenOf(valid)).toBe('abc.def.ghi');
      expect(isPopError(errorOf(() => bearerTokenOf(invalid)), 'token_malformed')).toBeTrue();
    }
    expect(bearerTokenOf(long)).toBe('a'.repeat(8 * 1024 + 1));
    // The same value, found valid under the 16 KiB limit, is still refused under 8 KiB.
    expect(isPopError(errorOf(() => bearerTokenOf(long, 8 * 1024)), 'token_too_large')).toBeTrue();
  });

  it('rejects several Authorization headers as ambiguous', () => {
    const headers = new HttpHeaders({ Authorization: ['Bearer a', 'Bearer b'] });
    expect(isPopError(errorOf(() => bearerTokenOf(headers)), 'token_malformed')).toBeTrue();
  });
});
