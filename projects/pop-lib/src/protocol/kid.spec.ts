import { isHmacKid, isKeyId } from './kid.ts';
import { MAX_KID_LENGTH } from './limits.ts';

describe('kid syntax', () => {
  it('accepts real server key ids and refuses what could forge a cache address or inject into a header', () => {
    for (const kid of ['2026-11', 'bilbo.baggins@hobbiton.example', 'a:b+c=', 'k'.repeat(MAX_KID_LENGTH)]) {
      expect(isKeyId(kid)).withContext(kid).toBeTrue();
    }
    for (const kid of ['', 'a/b', 'a b', 'a\nb', 'ä', 'k'.repeat(MAX_KID_LENGTH + 1), 42, null, undefined]) {
      expect(isKeyId(kid)).withContext(String(kid)).toBeFalse();
    }
  });

  it('holds HMAC key ids to base64url, the alphabet the client generates them in', () => {
    expect(isHmacKid('AbC-_09xyzABCDEFGHIJKL')).toBeTrue();
    for (const kid of ['', 'a.b', 'a:b', 'a=', 'k'.repeat(MAX_KID_LENGTH + 1), 7]) {
      expect(isHmacKid(kid)).withContext(String(kid)).toBeFalse();
    }
  });
});
