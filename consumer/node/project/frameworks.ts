// Type-checks the framework and Redis entry points with those packages installed.
import express from 'express';
import Fastify from 'fastify';
import { createClient } from 'redis';
import { createVerifier, generateServerKeys } from 'pop-lib-server';
import { popExpress, popKeysHandler, popResult } from 'pop-lib-server/express';
import { popFastify, popResult as popFastifyResult } from 'pop-lib-server/fastify';
import { RedisStore } from 'pop-lib-server/redis';

const keys = await generateServerKeys();
const verifier = createVerifier({ keys, replayStore: new RedisStore(createClient()), validateAccessToken: (token) => ({ token }) });

const app = express();
app.get('/api/pop-keys.json', popKeysHandler(keys));
app.get('/api/accounts', popExpress(verifier, { publicOrigin: 'https://bank.example' }), (_req, res) => {
  res.json({ token: popResult<{ token: string }>(res).accessTokenClaims.token });
});

const fastify = Fastify();
fastify.get('/api/accounts', { onRequest: popFastify(verifier, { publicOrigin: 'https://bank.example' }) }, async (request) => ({
  token: popFastifyResult<{ token: string }>(request).accessTokenClaims.token,
}));
export { app, fastify };
