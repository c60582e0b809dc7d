/**
 * Replay-store throughput: `RedisStore.setIfAbsent` of unique nonce keys against a throwaway
 * loopback redis-server (one at a time, and 32 in flight as concurrent requests would), next
 * to `MemoryStore.setIfAbsent` as the baseline. Each row runs for a fixed time. Without
 * `redis-server` installed it says so on stderr and reports nothing.
 *
 * Run: PATH=$PWD/node_modules/.bin:$PATH node projects/pop-server/bench/redis-store.bench.ts
 */
import { createClient } from 'redis';
import { MemoryStore } from '../src/index.ts';
import { RedisStore } from '../src/redis-store.ts';
import { hasRedisServer, startRedis } from '../test/redis-server.ts';
import { measure, measureConcurrent, report, type BenchResult } from './measure.ts';

const ROW_MS = 1000;
const IN_FLIGHT = 32;
/** Nonces are kept this long, like a ClientJWT's exp + skew. */
const TTL_MS = 150_000;
/** The memory baseline starts a fresh store this often, so the bench's memory stays bounded. */
const MEMORY_STORE_ENTRIES = 200_000;

async function main(): Promise<void> {
  if (!hasRedisServer()) {
    console.error('redis-store.bench: redis-server not found (Debian: apt-get install -y redis-server); skipped');
    return;
  }
  let n = 0;
  const nonceKey = (): string => `nonce:bench-kid:${n++}`;
  const results: BenchResult[] = [];

  let memory = new MemoryStore();
  let inMemory = 0;
  results.push(
    await measure(
      'MemoryStore.setIfAbsent, unique keys (baseline)',
      async () => {
        if (++inMemory > MEMORY_STORE_ENTRIES) {
          memory = new MemoryStore();
          inMemory = 1;
        }
        if (!(await memory.setIfAbsent(nonceKey(), '1', Date.now() + TTL_MS))) throw new Error('memory: unique key refused');
      },
      { ms: ROW_MS },
    ),
  );

  const redis = await startRedis();
  const client = createClient({ url: redis.url, socket: { reconnectStrategy: false } });
  client.on('error', (e: unknown) => console.error('redis-store.bench: client error', e));
  try {
    await client.connect();
    const store = new RedisStore(client);
    const setUnique = async (): Promise<void> => {
      if (!(await store.setIfAbsent(nonceKey(), '1', Date.now() + TTL_MS))) throw new Error('redis: unique key refused');
    };
    // A duplicate must be refused, or the rows would measure the wrong thing.
    const key = nonceKey();
    if (!(await store.setIfAbsent(key, '1', Date.now() + TTL_MS)) || (await store.setIfAbsent(key, '1', Date.now() + TTL_MS))) {
      throw new Error('redis: SET NX did not refuse a duplicate');
    }
    results.push(await measure('RedisStore.setIfAbsent, sequential (1 in flight)', setUnique, { ms: ROW_MS }));
    results.push(await measureConcurrent(`RedisStore.setIfAbsent, ${IN_FLIGHT} in flight`, setUnique, IN_FLIGHT, ROW_MS));
    const keys = await client.dbSize();
    const [, sequentialRow, concurrentRow] = results;
    report('pop-server: replay store setIfAbsent (Node client + loopback redis-server)', results, {
      redisKeysWritten: keys,
      redisConcurrentOverSequential: sequentialRow && concurrentRow ? round(concurrentRow.opsPerSec / sequentialRow.opsPerSec) : undefined,
      redisVersion: (await client.info('server')).match(/redis_version:(\S+)/)?.[1],
      node: process.version,
    });
  } finally {
    await client.close().catch(() => undefined);
    await redis.stop();
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

await main();
