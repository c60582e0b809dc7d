/**
 * Starts the showcase backend on 127.0.0.1 (`PORT`, default 4300).
 *   POP_CNF=jku          access tokens name the bank key by URL instead of embedding it
 *   POP_REDIS_URL=redis://127.0.0.1:6379   nonces and key registrations in Redis
 *   STATIC_DIR=dist/showcase/browser        also serve the built showcase
 */
import type { Server } from 'node:http';
import { createClient } from 'redis';
import { MemoryStore, type PopStore } from '../../pop-server/src/index.ts';
import { RedisStore } from '../../pop-server/src/redis-store.ts';
import { createShowcase } from './app.ts';

const port = Number(process.env['PORT'] ?? 4300);
const host = process.env['HOST'] ?? '127.0.0.1';
const cnf = process.env['POP_CNF'] === 'jku' ? 'jku' : 'jwk';
const redisUrl = process.env['POP_REDIS_URL'];

let store: PopStore = new MemoryStore();
let closeStore = async (): Promise<void> => undefined;
if (redisUrl) {
  const client = createClient({ url: redisUrl });
  client.on('error', (e: Error) => console.error(`showcase-server: redis: ${e.message}`));
  await client.connect();
  // The store checks Redis's eviction policy by itself and warns through console.warn.
  store = new RedisStore(client);
  closeStore = async () => void (await client.close());
}

const { app, bankKeys } = await createShowcase({ store, cnf, ...(process.env['STATIC_DIR'] ? { staticDir: process.env['STATIC_DIR'] } : {}) });
const server: Server = app.listen(port, host, () => {
  console.log(`showcase-server: http://${host}:${port}  (/idp mock IdP, /api bank; cnf=${cnf}; store=${redisUrl ? 'redis' : 'memory'}; bank kid ${bankKeys.keys[0]?.kid})`);
});
server.on('error', (e) => {
  console.error(`showcase-server: ${e.message}`);
  process.exit(1);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void closeStore().finally(() => process.exit(0));
  });
}
