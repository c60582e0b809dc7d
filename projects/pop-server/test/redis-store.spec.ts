/**
 * Two verifier instances sharing one real Redis (started here on loopback): a ClientJWT one
 * instance accepted is a replay for the other; a key registered on one is known to the other;
 * when Redis loses the registration, the client's one retry with `hmac_key` heals it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JWK } from 'jose';
import { createClient } from 'redis';
import { isVerificationError, type VerificationErrorCode } from '../src/errors.ts';
import { jwksAccessTokenValidator } from '../src/access-token-validator.ts';
import { RedisStore } from '../src/redis-store.ts';
import { generateServerKeys } from '../src/server-keys.ts';
import { StoreUnavailableError } from '../src/store.ts';
import { createVerifier, type Verifier } from '../src/verifier.ts';
import { clientJwt, newHmacKey, testIssuer } from './client.ts';
import { startRedis, type TestRedis } from './redis-server.ts';

const URL = 'https://bank.test/api/accounts';

describe('RedisStore with two verifier instances', () => {
  let redis: TestRedis;
  let clients: ReturnType<typeof createClient>[] = [];
  let first: Verifier<unknown>;
  let second: Verifier<unknown>;
  let serverJwk: JWK;
  let issuer: Awaited<ReturnType<typeof testIssuer>>;

  async function instance(keys: Awaited<ReturnType<typeof generateServerKeys>>): Promise<Verifier<unknown>> {
    const client = createClient({ url: redis.url });
    await client.connect();
    clients.push(client);
    const store = new RedisStore(client);
    assert.equal(await store.checkEvictionPolicy(), undefined);
    return createVerifier({
      keys,
      replayStore: store,
      validateAccessToken: jwksAccessTokenValidator(issuer.jwks, { issuer: 'https://idp.test', audience: 'bank' }),
    });
  }

  async function rejects(promise: Promise<unknown>, code: VerificationErrorCode): Promise<void> {
    await assert.rejects(promise, (e: unknown) => isVerificationError(e) && e.error === code);
  }

  before(async () => {
    redis = await startRedis();
    issuer = await testIssuer();
    // Both instances run with the same server key pair, as a deployment behind a load balancer does.
    const keys = await generateServerKeys();
    serverJwk = keys.jwks().keys[0] as JWK;
    first = await instance(keys);
    second = await instance(keys);
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
    const accepted = await first.verify({ method: 'GET', url: URL, authorization: `Bearer ${jwt}` });
    assert.equal(accepted.registered, true);
    await rejects(second.verify({ method: 'GET', url: URL, authorization: `Bearer ${jwt}` }), 'replayed_nonce');
    await rejects(first.verify({ method: 'GET', url: URL, authorization: `Bearer ${jwt}` }), 'replayed_nonce');
  });

  it('knows on one instance an HMAC key registered on the other', async () => {
    const key = newHmacKey();
    const accessToken = await issuer.accessToken();
    await first.verify({ method: 'GET', url: URL, authorization: `Bearer ${await clientJwt({ key, accessToken, method: 'GET', url: URL, serverJwk })}` });
    const withoutKey = await clientJwt({ key, accessToken, method: 'GET', url: URL });
    const accepted = await second.verify({ method: 'GET', url: URL, authorization: `Bearer ${withoutKey}` });
    assert.equal(accepted.registered, false);
    assert.equal(accepted.accessToken, accessToken);
  });

  it('answers unknown_hmac_key once Redis lost the registration, and the retry with hmac_key heals it', async () => {
    const key = newHmacKey();
    const accessToken = await issuer.accessToken();
    await first.verify({ method: 'GET', url: URL, authorization: `Bearer ${await clientJwt({ key, accessToken, method: 'GET', url: URL, serverJwk })}` });
    await clients[0]?.flushDb();
    // The client, believing its key registered, sends without hmac_key...
    const plain = await clientJwt({ key, accessToken, method: 'GET', url: URL });
    await rejects(second.verify({ method: 'GET', url: URL, authorization: `Bearer ${plain}` }), 'unknown_hmac_key');
    // ...and, as the interceptor does on that answer, retries once with hmac_key.
    const retry = await clientJwt({ key, accessToken, method: 'GET', url: URL, serverJwk });
    assert.equal((await second.verify({ method: 'GET', url: URL, authorization: `Bearer ${retry}` })).registered, true);
    const next = await clientJwt({ key, accessToken, method: 'GET', url: URL });
    assert.equal((await first.verify({ method: 'GET', url: URL, authorization: `Bearer ${next}` })).registered, false);
  });

  it('rejects re-registering a kid with another key across instances', async () => {
    const key = newHmacKey();
    const accessToken = await issuer.accessToken();
    await first.verify({ method: 'GET', url: URL, authorization: `Bearer ${await clientJwt({ key, accessToken, method: 'GET', url: URL, serverJwk })}` });
    const impostor = { ...newHmacKey(), kid: key.kid };
    impostor.jwk = { ...impostor.jwk, kid: key.kid };
    const stolen = await clientJwt({ key: impostor, accessToken, method: 'GET', url: URL, serverJwk });
    await rejects(second.verify({ method: 'GET', url: URL, authorization: `Bearer ${stolen}` }), 'invalid_token');
  });

  it('fails closed when Redis cannot be reached', async () => {
    const dead = createClient({ url: redis.url, socket: { reconnectStrategy: false } });
    await dead.connect();
    await dead.close();
    const store = new RedisStore(dead);
    await assert.rejects(store.setIfAbsent('k', 'v', Date.now() + 1000), StoreUnavailableError);
  });
});
