import { compactDecrypt, compactVerify, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';
import { bankAndToken } from '../testing/spec-helpers';
import { forgeClientJwtRequest } from './forge-client-jwt';

describe('Attacker simulation: a ClientJWT under a fresh HMAC key', () => {
  it('wraps the stolen token in a well-formed ClientJWT whose hmac_key only the bank can open', async () => {
    const bank = await bankAndToken();
    const fetchSpy = spyOn(window, 'fetch').and.resolveTo(new Response(JSON.stringify({ keys: [bank.publicJwk] }), { headers: { 'Content-Type': 'application/json' } }));
    const request = await forgeClientJwtRequest(bank.accessToken, { method: 'GET', url: 'http://bank.test/api/accounts', bankJwksUrl: 'http://bank.test/api/pop-keys.json' });
    expect(fetchSpy).toHaveBeenCalledOnceWith('http://bank.test/api/pop-keys.json', { credentials: 'omit' });

    const jwt = (request.headers.find(([name]) => name === 'Authorization')?.[1] ?? '').replace(/^Bearer /, '');
    const header = decodeProtectedHeader(jwt);
    const claims = decodeJwt(jwt);
    expect(header).toEqual({ alg: 'HS256', typ: 'client+jwt', kid: jasmine.any(String) });
    expect(claims['access_token']).toBe(bank.accessToken);
    expect([claims['htm'], claims['htu']]).toEqual(['GET', 'http://bank.test/api/accounts']);
    expect(Number.isSafeInteger(claims['nonce'])).toBeTrue();
    expect((claims.exp ?? 0) - Math.floor((claims['timestamp'] as number) / 1000)).toBe(30);

    const jwe = claims['hmac_key'] as string;
    // As pop-lib's own hmac_key: no iat, jti or aud (those belong to secret fields).
    expect(Object.keys(decodeProtectedHeader(jwe)).sort()).toEqual(['alg', 'enc', 'epk', 'kid']);
    expect(decodeProtectedHeader(jwe)).toEqual(jasmine.objectContaining({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'bank-1' }));
    const { plaintext } = await compactDecrypt(jwe, bank.privateKey);
    const hmacJwk = JSON.parse(new TextDecoder().decode(plaintext)) as { kty: string; kid: string; alg: string };
    expect([hmacJwk.kty, hmacJwk.alg, hmacJwk.kid]).toEqual(['oct', 'HS256', header.kid as string]);
    await expectAsync(compactVerify(jwt, await importJWK(hmacJwk, 'HS256'))).toBeResolved();
  });
});
