import { CompactEncrypt, generateKeyPair } from 'jose';
import { loggedSecrets } from './secret-jwe-headers';

describe('loggedSecrets', () => {
  it("decodes the protected header of each JWE in a JSON body, the way anyone reading the log can", async () => {
    const { publicKey } = await generateKeyPair('ECDH-ES+A256KW');
    const header = { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'bank-1', iat: 1_800_000_000, jti: 'AAAAAAAAAAAAAAAAAAAAAA', aud: 'http://h/api/pin' };
    const jwe = await new CompactEncrypt(new TextEncoder().encode('4711')).setProtectedHeader(header).encrypt(publicKey);
    const [secret, ...others] = loggedSecrets(JSON.stringify({ username: 'alice', pin: jwe }));
    expect(others).toEqual([]);
    expect(secret?.field).toBe('pin');
    expect(secret?.header).toEqual(jasmine.objectContaining(header));
    expect(JSON.stringify(secret)).not.toContain('4711');
  });

  it('finds nothing in bodies that hold no JWE, or are not JSON objects', () => {
    for (const body of [null, '', 'grant_type=authorization_code', '[1]', '"eyJ.a.b.c.d"', JSON.stringify({ password: 'a.b.c.d.e' }), JSON.stringify({ token: 'eyJ.a.b' })]) {
      expect(loggedSecrets(body)).withContext(String(body)).toEqual([]);
    }
  });
});
