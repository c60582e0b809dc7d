/**
 * Server options are checked when the verifier or a store is created: a typed error lists
 * every problem, so a misconfiguration (an unset environment variable read as NaN, say)
 * stops the server at start-up instead of failing open later.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jwksAccessTokenValidator } from './access-token-validator.ts';
import { PopServerConfigError } from './errors.ts';
import { MemoryStore } from './memory-store.ts';
import { RedisStore, type RedisLike } from './redis-store.ts';
import { generateServerKeys } from './server-keys.ts';
import { StoreUnavailableError } from './store.ts';
import { createVerifier, type VerifierOptions } from './verifier.ts';

const keys = await generateServerKeys();
const validateAccessToken = () => ({});

function configError(fn: () => unknown): PopServerConfigError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PopServerConfigError, `expected PopServerConfigError, got ${String(e)}`);
    assert.equal(e.code, 'config_invalid');
    return e;
  }
  assert.fail('no configuration error');
}

describe('createVerifier options', () => {
  it('refuses NaN, out-of-range and non-integer numbers instead of using them', () => {
    const env: Record<string, string | undefined> = {};
    for (const [name, value] of [
      ['skewSeconds', Number(env['POP_SKEW'])],
      ['skewSeconds', -1],
      ['skewSeconds', 301],
      ['maxLifetimeSeconds', 121],
      ['maxLifetimeSeconds', 0],
      ['maxLifetimeSeconds', 2.5],
      ['maxKeyTtlSeconds', Infinity],
      ['revalidateAfterSeconds', -5],
      ['cacheSize', '100'],
    ] as const) {
      const error = configError(() => createVerifier({ keys, validateAccessToken, [name]: value } as VerifierOptions<unknown>));
      assert.match(error.problems[0] ?? '', new RegExp(`^${name}: must be an integer`));
    }
  });

  it('lists every problem at once, unknown options included', () => {
    const error = configError(() =>
      createVerifier({ keys: {} as never, validateAccessToken: 'no' as never, skewSeconds: Number.NaN, replayStore: { get: () => undefined } as never, maxHeaderBytes: 1 } as never),
    );
    assert.equal(error.problems.length, 5);
    assert.match(error.message, /keys: must be the ServerKeys/);
    assert.match(error.message, /validateAccessToken: must be a function/);
    assert.match(error.message, /replayStore: must be a PopStore/);
    assert.match(error.message, /maxHeaderBytes: unknown option/);
  });

  it('requires keys and a validator, and accepts the documented defaults', () => {
    assert.deepEqual(configError(() => createVerifier({} as never)).problems, ['keys: is required', 'validateAccessToken: is required']);
    assert.ok(createVerifier({ keys, validateAccessToken, skewSeconds: 0, maxLifetimeSeconds: 120, revalidateAfterSeconds: 0, cacheSize: 0 }));
  });
});

describe('store options', () => {
  it('MemoryStore: refuses a bad size or clock, and a NaN expiry fails closed instead of accepting replays', async () => {
    configError(() => new MemoryStore({ maxEntries: Number.NaN }));
    configError(() => new MemoryStore({ maxEntries: 0 }));
    configError(() => new MemoryStore({ now: 5 as never }));
    const store = new MemoryStore();
    for (const expiry of [Number.NaN, Infinity, -Infinity]) {
      await assert.rejects(store.setIfAbsent('nonce:k:1', '1', expiry), StoreUnavailableError);
    }
    assert.equal(store.size, 0);
  });

  it('RedisStore: refuses a client without set/get and bad options', () => {
    const client: RedisLike = { set: async () => 'OK', get: async () => null, configGet: async () => ({ 'maxmemory-policy': 'noeviction' }) };
    configError(() => new RedisStore({} as RedisLike));
    configError(() => new RedisStore(client, { timeoutMs: Number.NaN }));
    configError(() => new RedisStore(client, { timeoutMs: 0 }));
    configError(() => new RedisStore(client, { prefix: 'has space' }));
    configError(() => new RedisStore(client, { onWarning: 'console' as never }));
  });

  it('RedisStore: a command that never answers fails within timeoutMs (never left pending)', async () => {
    const stalled: RedisLike = { set: () => new Promise(() => undefined), get: () => new Promise(() => undefined), configGet: () => new Promise(() => undefined) };
    const warnings: string[] = [];
    const store = new RedisStore(stalled, { timeoutMs: 50, onWarning: (w) => warnings.push(w) });
    const started = Date.now();
    await assert.rejects(store.setIfAbsent('k', 'v', Date.now() + 1000), /no answer within 50 ms/);
    await assert.rejects(store.get('k'), StoreUnavailableError);
    assert.ok(Date.now() - started < 2000);
    await store.evictionPolicyChecked;
    assert.match(warnings[0] ?? '', /could not read Redis maxmemory-policy/);
  });

  it('RedisStore: checks the eviction policy by itself and warns unless it is noeviction', async () => {
    const warnings: string[] = [];
    const lru: RedisLike = { set: async () => 'OK', get: async () => null, configGet: async () => ({ 'maxmemory-policy': 'allkeys-lru' }) };
    assert.match((await new RedisStore(lru, { onWarning: (w) => warnings.push(w) }).evictionPolicyChecked) ?? '', /allkeys-lru/);
    const good: RedisLike = { set: async () => 'OK', get: async () => null, configGet: async () => ({ 'maxmemory-policy': 'noeviction' }) };
    assert.equal(await new RedisStore(good, { onWarning: (w) => warnings.push(w) }).evictionPolicyChecked, undefined);
    assert.equal(warnings.length, 1);
  });
});

describe('jwksAccessTokenValidator options', () => {
  it('refuses symmetric or unknown algorithms, a bad clock tolerance and a JWKS that is not a URL or key set', () => {
    configError(() => jwksAccessTokenValidator({ keys: [] }, { algorithms: ['HS256'] }));
    configError(() => jwksAccessTokenValidator({ keys: [] }, { algorithms: [] }));
    configError(() => jwksAccessTokenValidator({ keys: [] }, { clockTolerance: Number.NaN }));
    configError(() => jwksAccessTokenValidator({ keys: [] }, { issuer: 5 as never }));
    configError(() => jwksAccessTokenValidator('not a url'));
    configError(() => jwksAccessTokenValidator('file:///etc/jwks.json'));
    assert.equal(typeof jwksAccessTokenValidator('https://idp.example/jwks', { algorithms: ['ES256'], issuer: 'https://idp.example' }), 'function');
  });
});

describe('jwksAccessTokenValidator clock', () => {
  it('checks exp against the clock it is given', async () => {
    const { testIssuer } = await import('../test/client.ts');
    const issuer = await testIssuer();
    const token = await issuer.accessToken({}, 60);
    let now = Date.now();
    const validate = jwksAccessTokenValidator(issuer.jwks, { issuer: 'https://idp.test', audience: 'bank', now: () => now });
    const context = { kid: 'k', method: 'GET', url: 'https://bank.test/api' };
    assert.equal((await validate(token, context)).sub, 'alice');
    now += 120_000; // past exp + the default 30 s tolerance
    await assert.rejects(Promise.resolve(validate(token, context)), /"exp" claim timestamp check failed/);
  });
});
