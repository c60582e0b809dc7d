/**
 * Token binding (protocol §4) against the attack a reader of a proxy log tries: take the access
 * token out of a captured ClientJWT and register a key of one's own for it. Also: nothing a
 * refused request sends is written to any store, and two keys racing for one token → one wins.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { decodeJwt, type JWK } from 'jose';
import { clientJwt, newHmacKey, testIssuer, type TestHmacKey } from '../test/client.ts';
import { rejects } from '../test/verification.ts';
import { jwksAccessTokenValidator } from './access-token-validator.ts';
import { isVerificationError } from './errors.ts';
import { MemoryStore } from './memory-store.ts';
import { TOKEN_BOUND_TO_ANOTHER_KEY } from './protocol.ts';
import { generateServerKeys } from './server-keys.ts';
import { createVerifier, type Verifier } from './verifier.ts';

const URL_ACCOUNTS = 'https://bank.test/api/accounts';
const issuer = await testIssuer();
const serverKeys = await generateServerKeys();
const serverJwk = serverKeys.jwks().keys[0] as JWK;

describe('token binding: one HMAC key per access token', () => {
  let store: MemoryStore;
  let verifier: Verifier<unknown>;
  let victim: TestHmacKey;
  let accessToken: string;
  const verify = (token: string) => verifier.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: `Bearer ${token}` });

  beforeEach(async () => {
    store = new MemoryStore();
    verifier = createVerifier({ keys: serverKeys, replayStore: store, validateAccessToken: jwksAccessTokenValidator(issuer.jwks, { issuer: 'https://idp.test', audience: 'bank' }) });
    victim = newHmacKey();
    accessToken = await issuer.accessToken();
  });

  it('refuses the access token of a captured ClientJWT registered under the thief\'s key, with the bound-token answer', async () => {
    const captured = await clientJwt({ key: victim, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    await verify(captured);
    // The thief reads the token out of the captured header and sends it with a key of their own.
    const stolen = decodeJwt(captured)['access_token'] as string;
    const thief = newHmacKey();
    const attack = await clientJwt({ key: thief, accessToken: stolen, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    await assert.rejects(verify(attack), (e: unknown) => {
      assert.ok(isVerificationError(e));
      assert.equal(e.status, 401);
      assert.equal(e.reason, 'token_bound_to_another_key');
      assert.equal(e.wwwAuthenticate, `Bearer error="invalid_token", error_description="${TOKEN_BOUND_TO_ANOTHER_KEY}"`);
      return true;
    });
    // ...and every later attempt, with or without hmac_key; the victim is unaffected.
    await rejects(verify(await clientJwt({ key: thief, accessToken: stolen, method: 'GET', url: URL_ACCOUNTS })), 'unknown_hmac_key');
    await rejects(verify(await clientJwt({ key: thief, accessToken: stolen, method: 'GET', url: URL_ACCOUNTS, serverJwk })), 'invalid_token', 'token_bound_to_another_key');
    assert.equal((await verify(await clientJwt({ key: victim, accessToken, method: 'GET', url: URL_ACCOUNTS }))).kid, victim.kid);
  });

  it('refuses the thief even under the victim\'s kid (the kid is public, the key is not)', async () => {
    await verify(await clientJwt({ key: victim, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk }));
    const thief: TestHmacKey = { ...newHmacKey(), kid: victim.kid };
    thief.jwk = { ...thief.jwk, kid: victim.kid };
    await rejects(verify(await clientJwt({ key: thief, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk })), 'invalid_token', 'token_bound_to_another_key');
    await rejects(verify(await clientJwt({ key: thief, accessToken, method: 'GET', url: URL_ACCOUNTS })), 'invalid_token', 'signature_invalid');
  });

  it('accepts the same kid and key registering again after the store lost the registration', async () => {
    await verify(await clientJwt({ key: victim, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk }));
    // A fresh store and a fresh verifier: as if Redis was flushed and this is another instance.
    store = new MemoryStore();
    verifier = createVerifier({ keys: serverKeys, replayStore: store, validateAccessToken: () => ({ ok: true }) });
    await rejects(verify(await clientJwt({ key: victim, accessToken, method: 'GET', url: URL_ACCOUNTS })), 'unknown_hmac_key');
    const again = await verify(await clientJwt({ key: victim, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk }));
    assert.equal(again.registered, true);
  });

  it('lets exactly one of two keys racing for one token win', async () => {
    const other = newHmacKey();
    const results = await Promise.allSettled([
      verify(await clientJwt({ key: victim, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk })),
      verify(await clientJwt({ key: other, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk })),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    assert.ok(isVerificationError(lost[0]?.reason) && lost[0].reason.reason === 'token_bound_to_another_key');
  });

  it('writes nothing to any store for a request that fails the signature, time, htm/htu, validator or binding check', async () => {
    const validator = createVerifier({ keys: serverKeys, replayStore: store, validateAccessToken: () => { throw new Error('no'); } });
    const junk: [string, Verifier<unknown>][] = [];
    const key = newHmacKey();
    const good = await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk });
    const [h, p] = good.split('.');
    junk.push([`${h}.${p}.${'A'.repeat(43)}`, verifier]);
    junk.push([await clientJwt({ key, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk, timestampMs: Date.now() - 600_000 }), verifier]);
    junk.push([await clientJwt({ key, accessToken, method: 'POST', url: URL_ACCOUNTS, serverJwk }), verifier]);
    junk.push([await clientJwt({ key, accessToken, method: 'GET', url: 'https://bank.test/api/other', serverJwk }), verifier]);
    junk.push([await clientJwt({ key, accessToken: await (await testIssuer()).accessToken(), method: 'GET', url: URL_ACCOUNTS, serverJwk }), verifier]);
    junk.push([good, validator]);
    for (const [token, v] of junk) {
      await assert.rejects(v.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: `Bearer ${token}` }), isVerificationError);
    }
    assert.equal(store.size, 0);
    // A token bound to another key adds nothing either.
    await verify(await clientJwt({ key: victim, accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk }));
    const before = store.size;
    await rejects(verify(await clientJwt({ key: newHmacKey(), accessToken, method: 'GET', url: URL_ACCOUNTS, serverJwk })), 'invalid_token', 'token_bound_to_another_key');
    assert.equal(store.size, before);
  });

  it('cannot be filled with junk registrations: 1000 refused requests leave room for the legitimate one', async () => {
    store = new MemoryStore({ maxEntries: 4 });
    verifier = createVerifier({ keys: serverKeys, replayStore: store, validateAccessToken: () => { throw new Error('not one of ours'); } });
    const forged = await clientJwt({ key: newHmacKey(), accessToken: 'forged-token', method: 'GET', url: URL_ACCOUNTS, serverJwk });
    for (let i = 0; i < 1000; i++) await rejects(verify(forged), 'invalid_token', 'access_token_rejected');
    assert.equal(store.size, 0);
  });

  it('keeps a registration until the access token expires (capped), not forever', async () => {
    let now = Date.now();
    const v = createVerifier({ keys: serverKeys, replayStore: store, now: () => now, validateAccessToken: () => ({}) });
    const shortToken = await issuer.accessToken({}, 120);
    const send = async (withKey: boolean) =>
      v.verify({ method: 'GET', url: URL_ACCOUNTS, authorization: `Bearer ${await clientJwt({ key: victim, accessToken: shortToken, method: 'GET', url: URL_ACCOUNTS, timestampMs: now, ...(withKey ? { serverJwk } : {}) })}` });
    await send(true);
    now += 100_000;
    assert.equal((await send(false)).kid, victim.kid);
    now += 60_000; // past exp + skew
    await rejects(send(false), 'unknown_hmac_key');
  });
});
