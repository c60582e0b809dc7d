import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { base64url, exportJWK, generateKeyPair, type JWK } from 'jose';
import { clientJwt, encryptTo, newHmacKey, testIssuer, withHeader, type TestHmacKey } from '../test/client.ts';
import { jwksAccessTokenValidator } from './access-token-validator.ts';
import { rejects } from '../test/verification.ts';
import { isVerificationError } from './errors.ts';
import { MemoryStore } from './memory-store.ts';
import { generateServerKeys, type ServerKeys } from './server-keys.ts';
import type { PopStore } from './store.ts';
import { createVerifier, type Verifier, type VerifierOptions } from './verifier.ts';

const URL_ACCOUNTS = 'https://bank.test/api/accounts';
const issuer = await testIssuer();
const serverKeys = await generateServerKeys();
const serverJwk = serverKeys.jwks().keys[0] as JWK;
const jwksValidator = jwksAccessTokenValidator(issuer.jwks, { issuer: 'https://idp.test', audience: 'bank' });

function verifierWith(overrides: Partial<VerifierOptions<unknown>> = {}): Verifier<unknown> {
  return createVerifier({ keys: serverKeys, validateAccessToken: jwksValidator, ...overrides });
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
    const r2 = await verifier.verify({ method: 'post', url: 'https://bank.test/api/pin', authorization: bearer(second) });
    assert.equal(r2.registered, false);
    assert.equal(r2.accessToken, accessToken);
    assert.deepEqual(r2.accessTokenClaims, r1.accessTokenClaims);
  });

  it('accepts hmac_key again with the same key (the client\'s retry, parallel first requests) and ignores the query in htu', async () => {
    const a = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    const b = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    const [ra, rb] = await Promise.all([
      verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(a) }),
      verifier.verify({ method: 'GET', url: `${URL_ACCOUNTS}?page=2`, authorization: bearer(b) }),
    ]);
    assert.equal(ra.registered && rb.registered, true);
  });

  it('accepts an htu the client wrote in another normal form of the same URL', async () => {
    await verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk })) });
    const token = await clientJwt({ key, accessToken, method: 'GET', url: 'HTTPS://BANK.test:443/api/x/../accounts' });
    assert.equal((await verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(token) })).kid, key.kid);
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

  it('registers with an RSA-OAEP-256 server key and an opaque access token', async () => {
    const rsaKeys: ServerKeys = await generateServerKeys({ alg: 'RSA-OAEP-256', kid: 'rsa-1' });
    const v = createVerifier({ keys: rsaKeys, validateAccessToken: () => ({ ok: true }) });
    const token = await clientJwt({ key, accessToken: 'opaque-token', method: 'GET', url: URL_ACCOUNTS, serverJwk: rsaKeys.jwks().keys[0] });
    const r = await v.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(token) });
    assert.equal(r.accessToken, 'opaque-token');
    assert.deepEqual(r.accessTokenClaims, { ok: true });
  });
});

describe('createVerifier: the access token validator runs at registration, its result is reused', () => {
  let now: number;
  let calls: string[];
  let verdict: 'accept' | 'reject';
  let verifier: Verifier<unknown>;
  let key: TestHmacKey;
  let accessToken: string;
  const at = () => now;
  const send = async (withKey = false) =>
    verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, timestampMs: now, ...(withKey ? { serverJwk } : {}) })) });

  beforeEach(async () => {
    now = Date.now();
    calls = [];
    verdict = 'accept';
    key = newHmacKey();
    accessToken = await issuer.accessToken({}, 3600);
    verifier = verifierWith({
      now: at,
      revalidateAfterSeconds: 300,
      validateAccessToken: (token) => {
        calls.push(token);
        if (verdict === 'reject') throw new Error('revoked');
        return { sub: 'alice', checkedAt: now, nested: { when: new Date(now) } };
      },
    });
  });

  it('calls the validator once per registration, not per request', async () => {
    await send(true);
    for (let i = 0; i < 5; i++) await send();
    assert.deepEqual(calls, [accessToken]);
  });

  it('hands every request the validator\'s result as JSON data (the same on every instance)', async () => {
    const first = await send(true);
    const later = await send();
    const expected = { sub: 'alice', checkedAt: now, nested: { when: new Date(now).toISOString() } };
    assert.deepEqual(first.accessTokenClaims, expected);
    assert.deepEqual(later.accessTokenClaims, expected);
  });

  it('calls the validator again after revalidateAfterSeconds, and refuses the token once it says no (revocation)', async () => {
    await send(true);
    now += 299_000;
    await send();
    assert.equal(calls.length, 1);
    now += 2_000;
    await send();
    assert.equal(calls.length, 2);
    verdict = 'reject';
    now += 301_000;
    await rejects(send(), 'invalid_token', 'access_token_rejected');
    assert.equal(calls.length, 3);
  });

  it('with revalidateAfterSeconds 0 validates every request', async () => {
    verifier = verifierWith({ now: at, revalidateAfterSeconds: 0, validateAccessToken: (t) => (calls.push(t), { ok: true }) });
    await send(true);
    await send();
    await send();
    assert.equal(calls.length, 3);
  });

  it('passes a VerificationError from the validator on unchanged', async () => {
    const { VerificationError } = await import('./errors.ts');
    verifier = verifierWith({ validateAccessToken: () => { throw new VerificationError('invalid_token', 'access_token_rejected', 'insufficient scope'); } });
    await assert.rejects(send(true), (e: unknown) => isVerificationError(e) && e.description === 'insufficient scope');
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
    await rejects(verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: undefined }), 'invalid_token', 'authorization_missing');
    await rejects(verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: '' }), 'invalid_token', 'authorization_missing');
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    await rejects(verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: `Basic ${token}` }), 'invalid_token', 'not_bearer');
    await rejects(verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: token }), 'invalid_token', 'not_bearer');
    await rejects(verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: `DPoP ${token}` }), 'invalid_token', 'not_bearer');
  });

  it('rejects a 1 MB header before parsing it', async () => {
    const huge = 'Bearer ' + 'a'.repeat(1024 * 1024);
    await rejects(verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: huge }), 'invalid_token', 'authorization_too_large');
  });

  it('rejects what is not a compact JWS, before decoding it', async () => {
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    for (const bad of [`${token}.x`, token.replace('.', '..'), '{"payload":"x"}', 'e30.e30.%%%', `${token}=`, token.replace('.', '. '), `${token} x`]) {
      await rejects(verify(bad), 'invalid_token', 'malformed');
    }
    // Decodable segments that are not a JSON object header or payload.
    await rejects(verify(`${base64url.encode('[1]')}.e30.AA`), 'invalid_token', 'malformed');
    const [h, , s] = token.split('.');
    await rejects(verify(`${h}.${base64url.encode('[1]')}.${s}`), 'invalid_token', 'malformed');
  });

  it('rejects alg none', async () => {
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    const [, payload] = token.split('.');
    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'client+jwt', kid: key.kid }))}.${payload}.AA`;
    await rejects(verify(unsigned), 'invalid_token', 'alg_not_allowed');
  });

  it('rejects HS512 signed with the right key (algorithm swap)', async () => {
    await register();
    const hs512 = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, signWith: { key: base64url.decode(key.k), alg: 'HS512' } });
    await rejects(verify(hs512), 'invalid_token', 'alg_not_allowed');
  });

  it('rejects RS256 signed with a key of the attacker, even with the key embedded as a jwk header hint', async () => {
    await register();
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const rs256 = await clientJwt({
      key, accessToken, method: 'GET', url: URL_ACCOUNTS,
      signWith: { key: privateKey, alg: 'RS256' },
      header: { jwk: await exportJWK(publicKey) },
    });
    await rejects(verify(rs256), 'invalid_token', 'alg_not_allowed');
  });

  it('ignores jwk/jku header hints: an HS256 token signed with another key fails the signature check', async () => {
    await register();
    const attacker = newHmacKey();
    const forged = await clientJwt({
      key, accessToken, method: 'GET', url: URL_ACCOUNTS,
      signWith: { key: base64url.decode(attacker.k), alg: 'HS256' },
      header: { jwk: attacker.jwk, jku: 'https://evil.test/keys.json' },
    });
    await rejects(verify(forged), 'invalid_token', 'signature_invalid');
  });

  it('rejects a wrong typ, a crit header, a missing or unsafe kid', async () => {
    await register();
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, header: { typ: 'JWT' } })), 'invalid_token', 'typ_invalid');
    // jose refuses to sign an unknown crit; the header check runs before the signature anyway.
    const signed = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS });
    await rejects(verify(withHeader(signed, { alg: 'HS256', typ: 'client+jwt', kid: key.kid, crit: ['exp'], exp: 1 })), 'invalid_token', 'crit_not_allowed');
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, header: { kid: undefined } })), 'invalid_token', 'kid_invalid');
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, header: { kid: 'a'.repeat(129) } })), 'invalid_token', 'kid_invalid');
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, header: { kid: 'key:1' } })), 'invalid_token', 'kid_invalid');
  });

  it('rejects a bad signature (payload changed after signing), registered key or hmac_key alike', async () => {
    await register();
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS });
    const [h, , s] = token.split('.');
    const other = await clientJwt({ key, accessToken, method: 'POST', url: URL_ACCOUNTS });
    await rejects(verify(`${h}.${other.split('.')[1]}.${s}`), 'invalid_token', 'signature_invalid');
    const withKey = await clientJwt({ key: newHmacKey(), accessToken: await issuer.accessToken(), method: 'GET', url: URL_ACCOUNTS, serverJwk });
    const [hk, pk] = withKey.split('.');
    await rejects(verify(`${hk}.${pk}.${base64url.encode(new Uint8Array(32))}`), 'invalid_token', 'signature_invalid');
  });

  it('answers unknown_hmac_key for a key never registered, or not the one the token is registered with', async () => {
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS })), 'unknown_hmac_key', 'hmac_key_unknown');
    await register();
    await rejects(verify(await clientJwt({ key: newHmacKey(), accessToken, method: 'GET', url: URL_ACCOUNTS })), 'unknown_hmac_key', 'hmac_key_unknown');
  });

  it('rejects a kid of the token\'s registration re-registered with another key', async () => {
    await register();
    const impostor: TestHmacKey = { ...newHmacKey(), kid: key.kid };
    impostor.jwk.kid = key.kid;
    await rejects(verify(await clientJwt({ key: impostor, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk })), 'invalid_token', 'token_bound_to_another_key');
  });

  it('rejects another access token under a registered key, with or without hmac_key', async () => {
    await register();
    const otherToken = await issuer.accessToken({ sub: 'mallory' });
    // Without hmac_key the other token has no registration at all...
    await rejects(verify(await clientJwt({ key, accessToken: otherToken, method: 'GET', url: URL_ACCOUNTS })), 'unknown_hmac_key');
  });

  it('rejects hmac_key whose JWK kid differs, is too short, too long, or is not oct', async () => {
    const cases: TestHmacKey[] = [{ ...key, jwk: { ...key.jwk, kid: 'other' } }, newHmacKey(16), newHmacKey(65), { ...key, jwk: { ...key.jwk, kty: 'RSA' as 'oct' } }, { ...key, jwk: { ...key.jwk, alg: 'HS512' as 'HS256' } }];
    for (const c of cases) {
      await rejects(verify(await clientJwt({ key: c, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk })), 'invalid_token', 'hmac_key_invalid');
    }
  });

  it('rejects a hmac_key JWE with zip, with PBES2 and a huge p2c, with an unknown kid, with RSA1_5 or dir, or tampered', async () => {
    const good = await encryptTo(serverJwk, JSON.stringify(key.jwk));
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(good.split('.')[0] as string))) as Record<string, unknown>;
    const variants: Record<string, unknown>[] = [
      { ...header, zip: 'DEF' },
      { alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', p2c: 2_000_000_000, p2s: 'AAAAAAAAAAAAAAAAAAAAAA', kid: serverJwk.kid },
      { ...header, kid: 'unknown-kid' },
      { ...header, alg: 'RSA1_5' },
      { ...header, alg: 'dir' },
      { ...header, enc: 'A128GCM' },
    ];
    for (const h of variants) {
      const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, claims: { hmac_key: withHeader(good, h) } });
      await rejects(verify(token), 'invalid_token', 'hmac_key_invalid');
    }
    const parts = good.split('.');
    parts[3] = base64url.encode(base64url.decode(parts[3] as string).map((b) => b ^ 1));
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, claims: { hmac_key: parts.join('.') } })), 'invalid_token', 'hmac_key_invalid');
  });

  it('rejects a hmac_key that is not a string or is longer than the protocol allows', async () => {
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, claims: { hmac_key: { k: key.k } } })), 'invalid_token', 'claims_invalid');
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, claims: { hmac_key: 'a.b.c.d.' + 'e'.repeat(2000) } })), 'invalid_token', 'claims_invalid');
  });

  it('rejects claims of the wrong type, and an access token over the protocol\'s limit', async () => {
    await register();
    const cases: Record<string, unknown>[] = [
      { nonce: '1' }, { nonce: 1.5 }, { nonce: -1 }, { nonce: 2 ** 53 }, { timestamp: 'now' }, { timestamp: 0 }, { exp: '9' }, { exp: null },
      { htm: 7 }, { htm: '' }, { htm: 'M'.repeat(17) }, { htu: null }, { htu: 'u'.repeat(1025) }, { access_token: 1 }, { access_token: '' }, { access_token: 'a'.repeat(8193) },
    ];
    for (const claims of cases) {
      await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, claims })), 'invalid_token', 'claims_invalid');
    }
  });

  it('rejects an expired ClientJWT (beyond the skew)', async () => {
    await register();
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, timestampMs: Date.now() - 90_000, lifetimeSeconds: 30 });
    await rejects(verify(token), 'invalid_token', 'expired');
  });

  it('rejects a timestamp in the future beyond the skew', async () => {
    await register();
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, timestampMs: Date.now() + 45_000 });
    await rejects(verify(token), 'invalid_token', 'timestamp_in_future');
  });

  it('rejects a lifetime longer than the maximum, and exp not after timestamp', async () => {
    await register();
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, lifetimeSeconds: 121 })), 'invalid_token', 'lifetime_too_long');
    const strict = verifierWith({ maxLifetimeSeconds: 10, replayStore: new MemoryStore() });
    const k2 = newHmacKey();
    await rejects(strict.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(await clientJwt({ key: k2, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk, lifetimeSeconds: 11 })) }), 'invalid_token', 'lifetime_too_long');
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, lifetimeSeconds: -1 })), 'invalid_token', 'claims_invalid');
  });

  it('rejects a wrong htm', async () => {
    await register();
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS }), 'DELETE'), 'invalid_token', 'htm_mismatch');
  });

  it('rejects a wrong htu: other path, other host, other scheme, relative; and a request URL that is not absolute', async () => {
    await register();
    for (const url of ['https://bank.test/api/transfer', 'https://evil.test/api/accounts', 'http://bank.test/api/accounts', '/api/accounts', 'https://bank.test/api/accounts/']) {
      await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url })), 'invalid_token', 'htu_mismatch');
    }
    await rejects(verify(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS }), 'GET', '/api/accounts'), 'invalid_token', 'htu_mismatch');
  });

  it('rejects a replayed nonce, even when the first request was the registering one', async () => {
    const first = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk, nonce: 7 });
    await verify(first);
    await rejects(verify(first), 'replayed_nonce', 'nonce_replayed');
    const sameNonce = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, nonce: 7 });
    await rejects(verify(sameNonce), 'replayed_nonce', 'nonce_replayed');
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
    await rejects(v.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(token) }), 'invalid_token', 'access_token_rejected');
    assert.deepEqual(seen, [accessToken]);
  });

  it('rejects an access token of another issuer through the JWKS validator', async () => {
    const stranger = await testIssuer();
    const foreign = await stranger.accessToken();
    await rejects(verify(await clientJwt({ key, accessToken: foreign, method: 'GET', url: URL_ACCOUNTS, serverJwk })), 'invalid_token', 'access_token_rejected');
  });

  it('fails closed when the store fails', async () => {
    const broken: PopStore = {
      setIfAbsent: () => Promise.reject(new Error('connection reset')),
      get: () => Promise.reject(new Error('connection reset')),
    };
    const v = verifierWith({ replayStore: broken });
    const token = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    await rejects(v.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(token) }), 'temporarily_unavailable', 'store_unavailable');
    await rejects(v.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS })) }), 'temporarily_unavailable', 'store_unavailable');
  });

  it('fails closed on a corrupt registration in the store', async () => {
    const store: PopStore = { setIfAbsent: async () => true, get: async () => '{"kid":' };
    const v = verifierWith({ keyStore: store, replayStore: new MemoryStore(), cacheSize: 0 });
    await rejects(v.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS })) }), 'temporarily_unavailable', 'store_unavailable');
  });

  it('fails closed when the replay store is full', async () => {
    const v = verifierWith({ keyStore: new MemoryStore(), replayStore: new MemoryStore({ maxEntries: 1 }) });
    const req = async () => v.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: bearer(await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk })) });
    await req();
    await rejects(req(), 'temporarily_unavailable', 'store_unavailable');
  });

  it('checks the header size before the signature, and the signature before the time', async () => {
    await register();
    // An expired token with a bad signature reports the signature: the order of protocol §4.
    const expired = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, timestampMs: Date.now() - 600_000 });
    const [h, p] = expired.split('.');
    await rejects(verify(`${h}.${p}.${base64url.encode(new Uint8Array(32))}`), 'invalid_token', 'signature_invalid');
  });
});
