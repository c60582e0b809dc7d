import { base64url, CompactEncrypt, CompactSign, exportJWK, generateKeyPair } from 'jose';
import {
  MAX_ACCESS_TOKEN_LENGTH,
  MAX_AUTHORIZATION_LENGTH,
  MAX_CLIENT_JWT_LENGTH,
  MAX_HMAC_KEY_JWE_LENGTH,
  MAX_HTM_LENGTH,
  MAX_HTU_LENGTH,
  MAX_KID_LENGTH,
  MAX_RSA_MODULUS_BITS,
  MAX_SECRET_BYTES,
  MAX_SECRET_JWE_LENGTH,
} from './limits.ts';

/** The JWE jose makes for `plaintext` with the key type that yields the longest output. */
async function longestJwe(plaintext: Uint8Array, extraHeader: Record<string, unknown>): Promise<number> {
  const kid = 'k'.repeat(MAX_KID_LENGTH);
  const rsa = await generateKeyPair('RSA-OAEP-256', { modulusLength: MAX_RSA_MODULUS_BITS });
  const p521 = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-521' });
  const lengths = await Promise.all([
    new CompactEncrypt(plaintext).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid, ...extraHeader }).encrypt(rsa.publicKey),
    new CompactEncrypt(plaintext).setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid, ...extraHeader }).encrypt(p521.publicKey),
  ]);
  return Math.max(...lengths.map((jwe) => jwe.length));
}

describe('protocol limits', () => {
  it('bound every hmac_key jose can make for the largest HMAC key, with the largest server keys', async () => {
    const jwk = { kty: 'oct', alg: 'HS256', kid: 'k'.repeat(MAX_KID_LENGTH), k: base64url.encode(new Uint8Array(64)) };
    const longest = await longestJwe(new TextEncoder().encode(JSON.stringify(jwk)), {});
    expect(longest).toBeLessThanOrEqual(MAX_HMAC_KEY_JWE_LENGTH);
    expect(MAX_HMAC_KEY_JWE_LENGTH - longest).toBeLessThan(600); // a bound, not a guess
  });

  it('bound every secret JWE jose can make for the largest secret, with iat, jti and aud', async () => {
    const header = { iat: 1_800_000_000, jti: base64url.encode(new Uint8Array(16)), aud: `https://bank.example/${'p'.repeat(MAX_HTU_LENGTH - 21)}` };
    const longest = await longestJwe(new Uint8Array(MAX_SECRET_BYTES), header);
    expect(longest).toBeLessThanOrEqual(MAX_SECRET_JWE_LENGTH);
  });

  it('bound the ClientJWT of the largest access token, htu and hmac_key, and keep it under 16 KiB with "Bearer "', async () => {
    const payload = {
      access_token: 'a'.repeat(MAX_ACCESS_TOKEN_LENGTH),
      nonce: Number.MAX_SAFE_INTEGER,
      timestamp: 1_800_000_000_000,
      exp: 1_800_000_030,
      htm: 'M'.repeat(MAX_HTM_LENGTH),
      htu: `https://bank.example/${'p'.repeat(MAX_HTU_LENGTH - 21)}`,
      hmac_key: 'h'.repeat(MAX_HMAC_KEY_JWE_LENGTH),
    };
    const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'HS256', typ: 'client+jwt', kid: 'k'.repeat(MAX_KID_LENGTH) })
      .sign(new Uint8Array(32));
    expect(jwt.length).toBeLessThanOrEqual(MAX_CLIENT_JWT_LENGTH);
    expect(MAX_AUTHORIZATION_LENGTH).toBe(MAX_CLIENT_JWT_LENGTH + 'Bearer '.length);
    // Node's default limit for all request headers together is 16 KiB; leave room for the rest.
    expect(MAX_AUTHORIZATION_LENGTH).toBeLessThan(15 * 1024);
  });

  it('make the exported JWK shapes real: an exported P-521 ephemeral key fits the bound used', async () => {
    const { publicKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-521', extractable: true });
    const jwk = await exportJWK(publicKey);
    expect(jwk.x?.length).toBe(88);
    expect(jwk.y?.length).toBe(88);
  });
});
