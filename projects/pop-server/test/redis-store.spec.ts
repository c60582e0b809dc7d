/**
 * Two verifier instances sharing one real Redis (started here on loopback), as a deployment
 * behind a load balancer runs them: a ClientJWT one instance accepted is a replay for the
 * other; a key registered on one is known to the other; a token bound on one cannot be
 * registered under another key on the other, and two keys racing for one token on two
 * instances end with exactly one winner; refused requests leave Redis empty; a secret field's
 * JWE is accepted by one instance only. A Redis that stalls or stops makes requests fail
 * with 503 within the store's timeout, never hang.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { JWK } from 'jose';
import { createClient } from 'redis';
import { decryptCredential } from '../src/decrypt-credential.ts';
import { isVerificationError } from '../src/errors.ts';
import { jwksAccessTokenValidator } from '../src/access-token-validator.ts';
import { RedisStore } from '../src/redis-store.ts';
import { generateServerKeys, type ServerKeys } from '../src/server-keys.ts';
import { StoreUnavailableError } from '../src/store.ts';
import { createVerifier, type Verifier } from '../src/verifier.ts';
import { clientJwt, newHmacKey, secretJwe, testIssuer, type TestHmacKey } from './client.ts';
import { startRedis, type TestRedis } from './redis-server.ts';
import { rejects } from './verification.ts';

const URL = 'https://bank.test/api/accounts';
const PIN_URL = 'https://bank.test/api/pin';

describe('RedisStore with two verifier instances', () => {
  let redis: TestRedis;
  let clients: ReturnType<typeof createClient>[] = [];
  const stores: RedisStore[] = [];
  let keys: ServerKeys;
  let first: Verifier<unknown>;
  let second: Verifier<unknown>;
  let serverJwk: JWK;
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  const send = (verifier: Verifier<unknown>, token: string) => verifier.verify({ method: 'GET', url: URL, authorization: `Bearer ${token}` });

  async function instance(): Promise<Verifier<unknown>> {
    const client = createClient({ url: redis.url });
    await client.connect();
    clients.push(client);
    const store = new RedisStore(client, { onWarning: (w) => assert.fail(w) });
    stores.push(store);
    // Each instance has its own in-memory registration cache, as separate processes do.
    return createVerifier({ keys, replayStore: store, validateAccessToken: jwksAccessTokenValidator(issuer.jwks, { issuer: 'https://idp.test', audience: 'bank' }) });
  }

  before(async () => {
    redis = await startRedis();
    issuer = await testIssuer();
    // Both instances run with the same server key pair, as a deployment behind a load balancer does.
    keys = await generateServerKeys();
    serverJwk = keys.jwks().keys[0] as JWK;
    first = await instance();
    second = await instance();
    for (const store of stores) assert.equal(await store.evictionPolicyChecked, undefined);
  });

  beforeEach(async () => {
    await clients[0]?.flushDb();
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    clients = [];
    await redis.stop();
  });

  it('rejects on one instance a ClientJWT the other accepted (replayed_nonce)', async () => {
    const key = newHmacKey();
    const accessToken = await issuer.accessToken();
    const jwt = await clientJwt({ key, accessToken, method: 'GET', url: URL, serverJwk });
    assert.equal((await send(first, jwt)).registered, true);
    await rejects(send(second, jwt), 'replayed_nonce');
    await rejects(send(first, jwt), 'replayed_nonce');
  });

  it('knows on one instance an HMAC key registered on the other, with the validator\'s result', async () => {
    const key = newHmacKey();
    const accessToken = await issuer.accessToken();
    await send(first, await clientJwt({ key, accessToken, method: 'GET', url: URL, serverJwk }));
    const accepted = await send(second, await clientJwt({ key, accessToken, method: 'GET', url: URL }));
    assert.equal(accepted.registered, false);
    assert.equal(accepted.accessToken, accessToken);
    assert.equal((accepted.accessTokenClaims as { sub: string }).sub, 'alice');
  });

  it('answers unknown_hmac_key once Redis lost the registration, and the retry with hmac_key heals it', async () => {
    const key = newHmacKey();
    const accessToken = await issuer.accessToken();
    const cold = await instance(); // no registration in its memory either
    await send(first, await clientJwt({ key, accessToken, method: 'GET', url: URL, serverJwk }));
    await clients[0]?.flushDb();
    // The client, believing its key registered, sends without hmac_key...
    await rejects(send(cold, await clientJwt({ key, accessToken, method: 'GET', url: URL })), 'unknown_hmac_key');
    // ...and, as the interceptor does on that answer, retries once with hmac_key: the same kid is accepted again.
    assert.equal((await send(cold, await clientJwt({ key, accessToken, method: 'GET', url: URL, serverJwk }))).registered, true);
    assert.equal((await send(second, await clientJwt({ key, accessToken, method: 'GET', url: URL }))).registered, false);
  });

  it('refuses on one instance the thief\'s key for a token the victim registered on the other', async () => {
    const victim = newHmacKey();
    const accessToken = await issuer.accessToken();
    await send(first, await clientJwt({ key: victim, accessToken, method: 'GET', url: URL, serverJwk }));
    const impostor = newHmacKey();
    const sameKid: TestHmacKey = { ...impostor, kid: victim.kid, jwk: { ...impostor.jwk, kid: victim.kid } };
    for (const thief of [newHmacKey(), sameKid]) {
      await rejects(send(second, await clientJwt({ key: thief, accessToken, method: 'GET', url: URL, serverJwk })), 'invalid_token', 'token_bound_to_another_key');
    }
  });

  it('lets exactly one of two keys win when two instances race for one token, every time', async () => {
    for (let round = 0; round < 20; round++) {
      const accessToken = await issuer.accessToken({ round });
      const [a, b] = [newHmacKey(), newHmacKey()];
      const results = await Promise.allSettled([
        send(first, await clientJwt({ key: a, accessToken, method: 'GET', url: URL, serverJwk })),
        send(second, await clientJwt({ key: b, accessToken, method: 'GET', url: URL, serverJwk })),
      ]);
      const winners = results.filter((r) => r.status === 'fulfilled');
      assert.equal(winners.length, 1, `round ${round}`);
      const loser = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.ok(isVerificationError(loser?.reason) && loser.reason.reason === 'token_bound_to_another_key');
      // The loser's key stays refused on both instances; the winner's works on both.
      const winnerKey = (winners[0] as PromiseFulfilledResult<{ kid: string }>).value.kid === a.kid ? a : b;
      for (const v of [first, second]) assert.equal((await send(v, await clientJwt({ key: winnerKey, accessToken, method: 'GET', url: URL }))).kid, winnerKey.kid);
    }
  });

  it('leaves Redis empty after junk: bad signature, expired, wrong htu, a token the validator refuses', async () => {
    const key = newHmacKey();
    const accessToken = await issuer.accessToken();
    const good = await clientJwt({ key, accessToken, method: 'GET', url: URL, serverJwk });
    const [h, p] = good.split('.');
    const junk = [
      `${h}.${p}.${'A'.repeat(43)}`,
      await clientJwt({ key, accessToken, method: 'GET', url: URL, serverJwk, timestampMs: Date.now() - 600_000 }),
      await clientJwt({ key, accessToken, method: 'GET', url: 'https://bank.test/api/other', serverJwk }),
      await clientJwt({ key, accessToken: await (await testIssuer()).accessToken(), method: 'GET', url: URL, serverJwk }),
    ];
    for (const token of junk) await assert.rejects(send(second, token), isVerificationError);
    assert.equal(await clients[0]?.dbSize(), 0);
  });

  it('accepts a secret field\'s JWE on exactly one of two instances', async () => {
    const jwe = await secretJwe(serverJwk, '4711', PIN_URL);
    const results = await Promise.allSettled(stores.slice(0, 2).map((replayStore) => decryptCredential(jwe, keys, { audience: PIN_URL, replayStore })));
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected'], JSON.stringify(results.map((r) => (r.status === 'rejected' ? String(r.reason) : r.value))));
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.ok(isVerificationError(refused?.reason, 'invalid_request') && refused.reason.reason === 'secret_replayed');
  });
});

describe('RedisStore when Redis stalls or stops', () => {
  it('answers 503 within the timeout while Redis is frozen, and works again once it resumes', async () => {
    const redis = await startRedis();
    const client = createClient({ url: redis.url });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const store = new RedisStore(client, { timeoutMs: 300 });
      const issuer = await testIssuer();
      const keys = await generateServerKeys();
      const verifier = createVerifier({ keys, replayStore: store, validateAccessToken: () => ({}) });
      const token = async () => clientJwt({ key: newHmacKey(), accessToken: await issuer.accessToken(), method: 'GET', url: URL, serverJwk: keys.jwks().keys[0] });
      redis.pause();
      const started = Date.now();
      await rejects(verifier.verify({ method: 'GET', url: URL, authorization: `Bearer ${await token()}` }), 'temporarily_unavailable', 'store_unavailable');
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 2000, `took ${elapsed} ms`);
      redis.resume();
      assert.equal((await verifier.verify({ method: 'GET', url: URL, authorization: `Bearer ${await token()}` })).registered, true);
    } finally {
      redis.resume();
      await client.close().catch(() => undefined);
      await redis.stop();
    }
  });

  it('answers 503 within the timeout once Redis has stopped (commands queued for a reconnect never hang a request)', async () => {
    const redis = await startRedis();
    const client = createClient({ url: redis.url });
    client.on('error', () => undefined);
    await client.connect();
    const store = new RedisStore(client, { timeoutMs: 300 });
    await redis.stop();
    const started = Date.now();
    await assert.rejects(store.setIfAbsent('nonce:k:1', '1', Date.now() + 1000), StoreUnavailableError);
    await assert.rejects(store.get('tok:x'), StoreUnavailableError);
    assert.ok(Date.now() - started < 2000);
    client.destroy();
  });

  it('warns by itself when Redis may evict keys', async () => {
    const redis = await startRedis({ maxmemoryPolicy: 'allkeys-lru' });
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const warnings: string[] = [];
      const store = new RedisStore(client, { onWarning: (w) => warnings.push(w) });
      await store.evictionPolicyChecked;
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', /allkeys-lru.*noeviction/);
    } finally {
      await client.close();
      await redis.stop();
    }
  });
});
