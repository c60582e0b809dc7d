import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { base64url, exportJWK, generateKeyPair, type JWK } from 'jose';
import { clientJwt, encryptTo, newHmacKey, testIssuer, withHeader, type TestHmacKey } from '../test/client.ts';
import { jwksAccessTokenValidator } from './access-token-validator.ts';
import { isVerificationError, type VerificationErrorCode } from './errors.ts';
import { MemoryStore } from './memory-store.ts';
import { generateServerKeys, type ServerKeys } from './server-keys.ts';
import type { PopStore } from './store.ts';
import { createVerifier, type Verifier, type VerifierOptions } from './verifier.ts';

const URL_ACCOUNTS = 'https://bank.test/api/accounts';
const issuer = await testIssuer();
const serverKeys = await generateServerKeys();
const serverJwk = serverKeys.jwks().keys[0] as JWK;

function verifierWith(overrides: Partial<VerifierOptions<unknown>> = {}): Verifier<unknown> {
  return createVerifier({
    keys: serverKeys,
    validateAccessToken: jwksAccessTokenValidator(issuer.jwks, { issuer: 'https://idp.test', audience: 'bank' }),
    ...overrides,
  });
}

async function rejects(promise: Promise<unknown>, code: VerificationErrorCode, description?: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(isVerificationError(e), `expected a VerificationError, got ${String(e)}`);
    assert.equal(e.error, code, e.description);
    if (description) assert.match(e.description, description);
    return true;
  });
}

const bearer = (token: string) => `Bearer ${token}`;

describe('createVerifier: accepted requests', () => {
  let verifier: Verifier<unknown>;
  let key: TestHmacKey;
  let accessToken: string;
  beforeEach(async () => {
    verifier = verifierWith();
    key = newHmacKey();
    accessToken = await issuer.accessToken();
  });

  it('registers the key from hmac_key, then accepts requests signed with it alone', async () => {
    const first = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    const r1 = await verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(first) });
    assert.equal(r1.accessToken, accessToken);
    assert.equal(r1.kid, key.kid);
    assert.equal(r1.registered, true);
    assert.equal((r1.accessTokenClaims as { sub: string }).sub, 'alice');

    const second = await clientJwt({ key, accessToken, method: 'POST', url: 'https://bank.test/api/pin' });
    const r2 = await verifier.verify({ method: 'POST', url: 'https://bank.test/api/pin', authorization: bearer(second) });
    assert.equal(r2.registered, false);
    assert.equal(r2.accessToken, accessToken);
  });

  it('accepts hmac_key again with the same key (client retry) and ignores the query string in htu', async () => {
    const a = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    await verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(a) });
    const b = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    const r = await verifier.verify({ method: 'GET', url: `${URL_ACCOUNTS}?page=2`, authorization: bearer(b) });
    assert.equal(r.registered, true);
  });

  it('accepts a timestamp in the future within the skew', async () => {
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk, timestampMs: Date.now() + 20_000 });
    const r = await verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(token) });
    assert.equal(r.kid, key.kid);
  });

  it('treats the same nonce under two different keys as two requests', async () => {
    const other = newHmacKey();
    const a = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk, nonce: 42 });
    const b = await clientJwt({ key: other, accessToken: await issuer.accessToken(), method: 'GET', url: URL_ACCOUNTS, serverJwk, nonce: 42 });
    await verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(a) });
    const r = await verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(b) });
    assert.equal(r.kid, other.kid);
  });
});

describe('createVerifier: rejections', () => {
  let verifier: Verifier<unknown>;
  let key: TestHmacKey;
  let accessToken: string;
  const verify = (token: string, method = 'GET', url = URL_ACCOUNTS) => verifier.verify({ method, url, authorization: bearer(token) });
  const register = async () => verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk }));

  beforeEach(async () => {
    verifier = verifierWith();
    key = newHmacKey();
    accessToken = await issuer.accessToken();
  });

  it('rejects a missing header and a non-Bearer scheme', async () => {
    await rejects(verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: undefined }), 'invalid_token', /missing/);
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    await rejects(verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: `Basic ${token}` }), 'invalid_token', /Bearer/);
  });

  it('rejects a 1 MB header before parsing it', async () => {
    const huge = 'Bearer ' + 'a'.repeat(1024 * 1024);
    await rejects(verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: huge }), 'invalid_token', /too large/);
  });

  it('rejects a header just over a configured limit', async () => {
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    const small = verifierWith({ maxHeaderBytes: bearer(token).length - 1 });
    await rejects(small.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(token) }), 'invalid_token', /too large/);
  });

  it('rejects what is not a compact JWS', async () => {
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    await rejects(verify(token + '.x'), 'invalid_token', /compact/);
    await rejects(verify(token.replace('.', '..')), 'invalid_token', /compact/);
    await rejects(verify('{"payload":"x"}'), 'invalid_token', /compact/);
    await rejects(verify('e30.e30.%%%'), 'invalid_token', /compact/);
  });

  it('rejects alg none', async () => {
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    const [, payload] = token.split('.');
    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'client+jwt', kid: key.kid }))}.${payload}.AA`;
    await rejects(verify(unsigned), 'invalid_token', /alg must be HS256/);
  });

  it('rejects HS512 signed with the right key (algorithm swap)', async () => {
    await register();
    const hs512 = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, signWith: { key: base64url.decode(key.k), alg: 'HS512' } });
    await rejects(verify(hs512), 'invalid_token', /alg must be HS256/);
  });

  it('rejects RS256 signed with a key of the attacker, even with the key embedded as a jwk header hint', async () => {
    await register();
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const rs256 = await clientJwt({
      key, accessToken, method: 'GET', url: URL_ACCOUNTS,
      signWith: { key: privateKey, alg: 'RS256' },
      header: { jwk: await exportJWK(publicKey) },
    });
    await rejects(verify(rs256), 'invalid_token', /alg must be HS256/);
  });

  it('ignores jwk/jku header hints: an HS256 token signed with another key fails the signature check', async () => {
    await register();
    const attacker = newHmacKey();
    const forged = await clientJwt({
      key, accessToken, method: 'GET', url: URL_ACCOUNTS,
      signWith: { key: base64url.decode(attacker.k), alg: 'HS256' },
      header: { jwk: attacker.jwk, jku: 'https://evil.test/keys.json' },
    });
    await rejects(verify(forged), 'invalid_token', /signature/);
  });

  it('rejects a wrong typ, a crit header, a missing or unsafe kid', async () => {
    await register();
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, header: { typ: 'JWT' } })), 'invalid_token', /typ/);
    // jose refuses to sign an unknown crit; the header check runs before the signature anyway.
    const signed = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS });
    await rejects(verify(withHeader(signed, { alg: 'HS256', typ: 'client+jwt', kid: key.kid, crit: ['exp'], exp: 1 })), 'invalid_token', /crit/);
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, header: { kid: undefined } })), 'invalid_token', /kid/);
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, header: { kid: 'a'.repeat(129) } })), 'invalid_token', /kid/);
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, header: { kid: 'key:1' } })), 'invalid_token', /kid/);
  });

  it('rejects a bad signature (payload changed after signing)', async () => {
    await register();
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS });
    const [h, , s] = token.split('.');
    const other = await clientJwt({ key, accessToken, method: 'POST', url: URL_ACCOUNTS });
    await rejects(verify(`${h}.${other.split('.')[1]}.${s}`), 'invalid_token', /signature/);
  });

  it('answers unknown_hmac_key for a kid never registered', async () => {
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS })), 'unknown_hmac_key');
  });

  it('rejects a kid re-registered with another key', async () => {
    await register();
    const impostor: TestHmacKey = { ...newHmacKey(), kid: key.kid };
    impostor.jwk.kid = key.kid;
    const token = await clientJwt({ key: impostor, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    await rejects(verify(token), 'invalid_token', /another key/);
  });

  it('rejects an access_token swapped under a registered key, with or without hmac_key', async () => {
    await register();
    const otherToken = await issuer.accessToken({ sub: 'mallory' });
    await rejects(verify(await clientJwt({ key, accessToken: otherToken, method: 'GET', url: URL_ACCOUNTS })), 'invalid_token', /bound/);
    await rejects(verify(await clientJwt({ key, accessToken: otherToken, method: 'GET', url: URL_ACCOUNTS, serverJwk })), 'invalid_token', /bound/);
  });

  it('rejects hmac_key whose JWK kid differs, is too short, or is not oct', async () => {
    const mismatch = { ...key, jwk: { ...key.jwk, kid: 'other' } };
    await rejects(verify(await clientJwt({ key: mismatch, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk })), 'invalid_token', /kid differs/);
    const short = newHmacKey(16);
    await rejects(verify(await clientJwt({ key: short, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk })), 'invalid_token', /256/);
    const notOct = { ...key, jwk: { ...key.jwk, kty: 'RSA' as 'oct' } };
    await rejects(verify(await clientJwt({ key: notOct, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk })), 'invalid_token', /oct/);
  });

  it('rejects a hmac_key JWE with zip, with PBES2 and a huge p2c, with an unknown kid, with RSA1_5 or dir', async () => {
    const good = await encryptTo(serverJwk, JSON.stringify(key.jwk));
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(good.split('.')[0] as string))) as Record<string, unknown>;
    const variants: [Record<string, unknown>, RegExp][] = [
      [{ ...header, zip: 'DEF' }, /zip/],
      [{ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', p2c: 2_000_000_000, p2s: 'AAAAAAAAAAAAAAAAAAAAAA', kid: serverJwk.kid }, /alg must be/],
      [{ ...header, kid: 'unknown-kid' }, /kid names no key/],
      [{ ...header, alg: 'RSA1_5' }, /alg must be/],
      [{ ...header, alg: 'dir' }, /alg must be/],
    ];
    for (const [h, description] of variants) {
      const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, claims: { hmac_key: withHeader(good, h) } });
      await rejects(verify(token), 'invalid_token', description);
    }
  });

  it('rejects a hmac_key that is not a string', async () => {
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, claims: { hmac_key: { k: key.k } } })), 'invalid_token');
  });

  it('rejects claims of the wrong type', async () => {
    await register();
    const cases: Record<string, unknown>[] = [{ nonce: '1' }, { nonce: 1.5 }, { timestamp: 'now' }, { exp: '9' }, { htm: 7 }, { htu: null }, { access_token: 1 }];
    for (const claims of cases) {
      await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, claims })), 'invalid_token');
    }
  });

  it('rejects an expired ClientJWT (beyond the skew)', async () => {
    await register();
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, timestampMs: Date.now() - 90_000, lifetimeSeconds: 30 });
    await rejects(verify(token), 'invalid_token', /expired/);
  });

  it('rejects a timestamp in the future beyond the skew', async () => {
    await register();
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, timestampMs: Date.now() + 45_000 });
    await rejects(verify(token), 'invalid_token', /future/);
  });

  it('rejects a lifetime longer than the maximum, and exp not after timestamp', async () => {
    await register();
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, lifetimeSeconds: 121 })), 'invalid_token', /lifetime/);
    const strict = verifierWith({ maxLifetimeSeconds: 10, replayStore: new MemoryStore() });
    const k2 = newHmacKey();
    await rejects(strict.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(await clientJwt({ key: k2, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk, lifetimeSeconds: 11 })) }), 'invalid_token', /lifetime/);
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, lifetimeSeconds: -1 })), 'invalid_token', /not after/);
  });

  it('rejects a wrong htm', async () => {
    await register();
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS }), 'DELETE'), 'invalid_token', /htm/);
  });

  it('rejects a wrong htu: other path, other host, other scheme, relative', async () => {
    await register();
    for (const url of ['https://bank.test/api/transfer', 'https://evil.test/api/accounts', 'http://bank.test/api/accounts', '/api/accounts']) {
      await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url })), 'invalid_token', /htu/);
    }
  });

  it('rejects a replayed nonce, even when the first request was the registering one', async () => {
    const first = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk, nonce: 7 });
    await verify(first);
    await rejects(verify(first), 'replayed_nonce');
    const sameNonce = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, nonce: 7 });
    await rejects(verify(sameNonce), 'replayed_nonce');
  });

  it('hands the access token to the validator and rejects what it rejects', async () => {
    const seen: string[] = [];
    const v = verifierWith({
      validateAccessToken: (token) => {
        seen.push(token);
        throw new Error('revoked');
      },
    });
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    await rejects(v.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(token) }), 'invalid_token', /access token rejected/);
    assert.deepEqual(seen, [accessToken]);
  });

  it('rejects an access token of another issuer through the JWKS validator', async () => {
    const stranger = await testIssuer();
    const foreign = await stranger.accessToken();
    const token = await clientJwt({ key, accessToken: foreign, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    await rejects(verify(token), 'invalid_token', /access token rejected/);
  });

  it('fails closed when the store fails', async () => {
    const broken: PopStore = {
      setIfAbsent: () => Promise.reject(new Error('connection reset')),
      get: () => Promise.reject(new Error('connection reset')),
    };
    const v = verifierWith({ replayStore: broken });
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    await rejects(v.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(token) }), 'temporarily_unavailable');
    await rejects(v.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS })) }), 'temporarily_unavailable');
  });

  it('fails closed when the replay store is full', async () => {
    const v = verifierWith({ keyStore: new MemoryStore(), replayStore: new MemoryStore({ maxEntries: 1 }) });
    const req = async () => v.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk })) });
    await req();
    await rejects(req(), 'temporarily_unavailable');
  });

  it('checks the header size before the signature, and the signature before the time', async () => {
    await register();
    // An expired token with a bad signature reports the signature: the order of protocol §4.
    const expired = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, timestampMs: Date.now() - 600_000 });
    const [h, p] = expired.split('.');
    await rejects(verify(`${h}.${p}.${base64url.encode(new Uint8Array(32))}`), 'invalid_token', /signature/);
  });
});

describe('server keys that are RSA', () => {
  it('registers an HMAC key encrypted with RSA-OAEP-256', async () => {
    const rsaKeys: ServerKeys = await generateServerKeys({ alg: 'RSA-OAEP-256', kid: 'rsa-1' });
    const v = createVerifier({ keys: rsaKeys, validateAccessToken: () => ({ ok: true }) });
    const key = newHmacKey();
    const token = await clientJwt({ key, accessToken: 'opaque-token', method: 'GET', url: URL_ACCOUNTS, serverJwk: rsaKeys.jwks().keys[0] });
    const r = await v.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(token) });
    assert.equal(r.accessToken, 'opaque-token');
  });
});
