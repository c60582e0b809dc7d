import { base64url, CompactSign, compactVerify } from 'jose';
import { isPopError } from '../errors/pop-error';
import { generateHmacJwk, toSigningKey } from './hmac-key';
import { HmacKeyGenerator } from './hmac-key-generator';

describe('HMAC key', () => {
  it('is a 256-bit HS256 oct JWK with a 128-bit base64url kid and nothing else', async () => {
    const jwk = await new HmacKeyGenerator().generateHmacKey();
    expect(Object.keys(jwk).sort()).toEqual(['alg', 'k', 'kid', 'kty']);
    expect(jwk.kty).toBe('oct');
    expect(jwk.alg).toBe('HS256');
    expect(base64url.decode(jwk.k).length).toBe(32);
    expect(jwk.kid).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(base64url.decode(jwk.kid).length).toBe(16);
  });

  it('is new every time', async () => {
    const [a, b] = await Promise.all([generateHmacJwk(), generateHmacJwk()]);
    expect(a.k).not.toBe(b.k);
    expect(a.kid).not.toBe(b.kid);
  });

  it('imports as a non-extractable signing key that matches the JWK', async () => {
    const jwk = await generateHmacJwk();
    const signing = await toSigningKey(jwk);
    expect(signing.kid).toBe(jwk.kid);
    expect(signing.key.extractable).toBeFalse();
    expect(signing.key.usages).toEqual(['sign']);
    await expectAsync(crypto.subtle.exportKey('jwk', signing.key)).toBeRejected();
    await expectAsync(crypto.subtle.exportKey('raw', signing.key)).toBeRejected();
    const jws = await new CompactSign(new TextEncoder().encode('x')).setProtectedHeader({ alg: 'HS256' }).sign(signing.key);
    await expectAsync(compactVerify(jws, base64url.decode(jwk.k))).toBeResolved();
  });

  it('rejects a JWK whose key cannot be imported with signing_failed', async () => {
    const error = await toSigningKey({ kty: 'oct', alg: 'HS256', kid: 'x', k: '***' }).catch((e: unknown) => e);
    expect(isPopError(error, 'signing_failed')).toBeTrue();
  });
});
