/**
 * Starts the showcase backend on 127.0.0.1 (`PORT`, default 4300).
 *   PUBLIC_ORIGIN=http://127.0.0.1:4200   the origin the browser sees (default: this server's own);
 *                                         `npm start` sets it to the Angular dev server, which proxies /idp and /api here
 *   POP_KEY_HINT=cnf.jku                  access tokens name the bank key by URL (cnf.jku) instead of res_pub_key
 *   POP_REDIS_URL=redis://127.0.0.1:6379  nonces and key registrations in Redis
 *   STATIC_DIR=dist/showcase/browser      also serve the built showcase
 */
import type { Server } from 'node:http';
import { createClient } from 'redis';
import { MemoryStore, type PopStore } from '../../pop-server/src/index.ts';
import { RedisStore } from '../../pop-server/src/redis-store.ts';
import { createShowcase } from './app.ts';
import { isKeyHint, KEY_HINTS } from './idp/key-hint.ts';

const port = Number(process.env['PORT'] ?? 4300);
const host = process.env['HOST'] ?? '127.0.0.1';
const publicOrigin = process.env['PUBLIC_ORIGIN'] ?? `http://${host}:${port}`;
const keyHint = process.env['POP_KEY_HINT'] ?? 'res_pub_key';
if (!isKeyHint(keyHint)) {
  console.error(`showcase-server: POP_KEY_HINT must be one of ${KEY_HINTS.join(', ')}`);
  process.exit(1);
}
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

const { app, urls } = await createShowcase({ publicOrigin, store, keyHint, ...(process.env['STATIC_DIR'] ? { staticDir: process.env['STATIC_DIR'] } : {}) });
const server: Server = app.listen(port, host, () => {
  console.log(`showcase-server: http://${host}:${port} for ${urls.publicOrigin}  (issuer ${urls.issuer}, bank ${urls.bankResource}; key hint ${keyHint}; store ${redisUrl ? 'redis' : 'memory'})`);
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
