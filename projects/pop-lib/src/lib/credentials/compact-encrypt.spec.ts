import { compactDecrypt } from 'jose';
import { toEncryptionKey } from '../keys/encryption-key';
import { serverKeyPair } from '../testing/server-key-pairs';
import { compactEncrypt } from './compact-encrypt';

describe('compactEncrypt', () => {
  it('without claims (the hmac_key JWE): only alg, enc, kid and epk in the protected header', async () => {
    const pair = await serverKeyPair('P-256', 'bank-1');
    const jwe = await compactEncrypt(new TextEncoder().encode('{"kty":"oct"}'), await toEncryptionKey(pair.publicJwk));
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, pair.privateKey);
    expect(new TextDecoder().decode(plaintext)).toBe('{"kty":"oct"}');
    expect(Object.keys(protectedHeader).sort()).toEqual(['alg', 'enc', 'epk', 'kid']);
  });

  it('with claims: iat, jti and aud join the protected header; alg, enc and kid stay the key\'s', async () => {
    const pair = await serverKeyPair('RSA-2048', 'bank-rsa');
    const claims = { iat: 1_800_000_000, jti: 'AAECAwQFBgcICQoLDA0ODw', aud: 'https://bank.example/api/pin' };
    const jwe = await compactEncrypt(new TextEncoder().encode('4711'), await toEncryptionKey(pair.publicJwk), claims);
    const { protectedHeader } = await compactDecrypt(jwe, pair.privateKey);
    expect(protectedHeader).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'bank-rsa', ...claims });
  });
});
