import { generateKeyPair } from 'jose';
import { isPopError } from '../errors/pop-error';
import { makeJwt } from '../testing/tokens';
import { decodeClientJwt, verifyClientJwt } from '../testing/resource-server-keys';
import { ClientJwtBuilder } from './client-jwt-builder';
import type { HmacJwk } from '../../protocol';
import { generateHmacJwk, HmacSigningKey, toSigningKey } from './hmac-key';
import { errorOf } from '../testing/errors';

const URL_ = 'https://bank.example/api/accounts?page=2#top';
const JWE = 'eyJhbGciOiJFQ0RILUVTK0EyNTZLVyJ9.a2V5.aXY.Y2lwaGVy.dGFn';

describe('ClientJwtBuilder', () => {
  let jwk: HmacJwk;
  let signingKey: HmacSigningKey;
  let accessToken: string;

  beforeEach(async () => {
    jwk = await generateHmacJwk();
    signingKey = await toSigningKey(jwk);
    accessToken = await makeJwt({ sub: 'alice', scope: 'accounts' });
  });

  it('signs the protocol header and claims with HS256 over the HMAC key', async () => {
    const jwt = await new ClientJwtBuilder()
      .withAccessToken(accessToken)
      .withRequest('get', URL_)
      .withNonceGenerator({ generateNonce: () => 1234567 })
      .withTimestampGenerator({ generateTimestamp: () => 1_700_000_000_999 })
      .withLifetime(45)
      .build(signingKey);
    const { header } = decodeClientJwt(jwt);
    expect(header).toEqual({ alg: 'HS256', typ: 'client+jwt', kid: jwk.kid });
    const claims = await verifyClientJwt(jwt, jwk);
    expect(claims).toEqual({
      access_token: accessToken,
      nonce: 1234567,
      timestamp: 1_700_000_000_999,
      exp: 1_700_000_000 + 45,
      htm: 'GET',
      htu: 'https://bank.example/api/accounts',
    });
  });

  it('defaults: CSPRNG nonce, system clock, 30 s lifetime', async () => {
    const before = Date.now();
    const builder = new ClientJwtBuilder().withAccessToken('opaque-token.v1').withRequest('POST', URL_);
    const a = builder.claims();
    const b = builder.claims();
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.timestamp).toBeGreaterThanOrEqual(before);
    expect(a.timestamp).toBeLessThanOrEqual(Date.now());
    expect(a.exp).toBe(Math.floor(a.timestamp / 1000) + 30);
    expect(a.access_token).toBe('opaque-token.v1');
    expect('hmac_key' in a).toBeFalse();
  });

  it('includes the encrypted HMAC key when asked', async () => {
    const jwt = await new ClientJwtBuilder().withAccessToken(accessToken).withRequest('GET', URL_).includeEncryptedHMAC(JWE).build(signingKey);
    expect((await verifyClientJwt(jwt, jwk))['hmac_key']).toBe(JWE);
  });

  it('a signature does not verify with another HMAC key', async () => {
    const jwt = await new ClientJwtBuilder().withAccessToken(accessToken).withRequest('GET', URL_).build(signingKey);
    await expectAsync(verifyClientJwt(jwt, await generateHmacJwk())).toBeRejected();
  });

  it('refuses to build without an access token or a request', async () => {
    const noToken = await new ClientJwtBuilder().withRequest('GET', URL_).build(signingKey).catch((e: unknown) => e);
    expect(isPopError(noToken, 'no_access_token')).toBeTrue();
    const noRequest = await new ClientJwtBuilder().withAccessToken(accessToken).build(signingKey).catch((e: unknown) => e);
    expect(isPopError(noRequest, 'signing_failed')).toBeTrue();
  });

  it('rejects hostile or broken input with typed errors', () => {
    const builder = new ClientJwtBuilder();
    expect(isPopError(errorOf(() => builder.withAccessToken('has space')), 'token_malformed')).toBeTrue();
    expect(isPopError(errorOf(() => builder.withAccessToken('a'.repeat(16 * 1024 + 1))), 'token_too_large')).toBeTrue();
    expect(isPopError(errorOf(() => builder.withAccessToken(42 as unknown as string)), 'token_claim_invalid')).toBeTrue();
    for (const seconds of [0, -1, 1.5, 3601, Number.NaN]) {
      expect(isPopError(errorOf(() => builder.withLifetime(seconds)), 'config_invalid')).withContext(String(seconds)).toBeTrue();
    }
    expect(isPopError(errorOf(() => builder.withRequest('GET\r\nX-Evil: 1', URL_)), 'signing_failed')).toBeTrue();
    expect(isPopError(errorOf(() => builder.withRequest('GET', 'javascript:alert(1)')), 'signing_failed')).toBeTrue();
    for (const jwe of ['', 'a.b.c', 'a.b.c.d.e.f', 'a.b.c.d.e"', 42 as unknown as string]) {
      expect(isPopError(errorOf(() => builder.includeEncryptedHMAC(jwe)), 'encryption_failed')).withContext(String(jwe)).toBeTrue();
    }
  });

  it('rejects generators that return unusable values', () => {
    const base = () => new ClientJwtBuilder().withAccessToken(accessToken).withRequest('GET', URL_);
    for (const nonce of [-1, 1.5, 2 ** 53, Number.NaN, '7' as unknown as number]) {
      const error = errorOf(() => base().withNonceGenerator({ generateNonce: () => nonce }).claims());
      expect(isPopError(error, 'signing_failed')).withContext(String(nonce)).toBeTrue();
    }
    for (const timestamp of [-1, 1.5, Number.POSITIVE_INFINITY]) {
      const error = errorOf(() => base().withTimestampGenerator({ generateTimestamp: () => timestamp }).claims());
      expect(isPopError(error, 'signing_failed')).withContext(String(timestamp)).toBeTrue();
    }
  });

  it('reports a key that cannot sign HS256 as signing_failed', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const error = await new ClientJwtBuilder()
      .withAccessToken(accessToken)
      .withRequest('GET', URL_)
      .build({ kid: 'x', key: privateKey })
      .catch((e: unknown) => e);
    expect(isPopError(error, 'signing_failed')).toBeTrue();
  });
});
