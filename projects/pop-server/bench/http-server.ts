/**
 * The HTTP benchmark's server, run by http.bench.ts in a child process pinned to one core:
 * `node http-server.ts <express|fastify> <port> <issuer JWKS as JSON>`. Four GET endpoints,
 * each answering `{"sub": …}`:
 *   /none    no authentication
 *   /bearer  a plain bearer token, verified with jose's jwtVerify against the JWKS on every request
 *   /pop     pop-lib-server's adapter (ClientJWT), the access token checked by jwksAccessTokenValidator
 *   /dpop    RFC 9449 DPoP (http-dpop.ts), the same access-token check
 * Prints `READY` when listening on 127.0.0.1.
 */
import express from 'express';
import Fastify from 'fastify';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { popExpress, popKeysHandler as expressPopKeys, popResult as expressPopResult } from '../src/express.ts';
import { popFastify, popKeysHandler as fastifyPopKeys, popResult as fastifyPopResult } from '../src/fastify.ts';
import { createVerifier, generateServerKeys, jwksAccessTokenValidator, MemoryStore } from '../src/index.ts';
import { TEST_AUDIENCE, TEST_ISSUER } from '../test/client.ts';
import { dpopVerifier } from './http-dpop.ts';

const [framework, portText, jwksText] = process.argv.slice(2);
const port = Number(portText);
if ((framework !== 'express' && framework !== 'fastify') || !Number.isInteger(port) || !jwksText) {
  throw new Error('usage: node http-server.ts <express|fastify> <port> <JWKS JSON>');
}
const jwks = JSON.parse(jwksText) as JSONWebKeySet;
const origin = `http://127.0.0.1:${port}`;
const claims = { issuer: TEST_ISSUER, audience: TEST_AUDIENCE };

const keySet = createLocalJWKSet(jwks);
const BEARER = /^Bearer ([^\s]+)$/;
async function verifyBearer(authorization: string | undefined): Promise<JWTPayload> {
  const token = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (token === undefined) throw new Error('no bearer token');
  return (await jwtVerify(token, keySet, { ...claims, algorithms: ['ES256'], requiredClaims: ['exp'] })).payload;
}
const verifyDpop = dpopVerifier(jwks, claims);

const keys = await generateServerKeys();
const verifier = createVerifier({ keys, replayStore: new MemoryStore(), validateAccessToken: jwksAccessTokenValidator(jwks, claims) });
const unauthorized = { error: 'invalid_token' };

if (framework === 'express') {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.get('/pop-keys.json', expressPopKeys(keys));
  app.get('/none', (_req, res) => {
    res.json({ sub: 'anonymous' });
  });
  app.get('/bearer', async (req, res) => {
    try {
      res.json({ sub: (await verifyBearer(req.get('authorization'))).sub });
    } catch {
      res.status(401).json(unauthorized);
    }
  });
  app.get('/pop', popExpress(verifier, { publicOrigin: origin }), (_req, res) => {
    res.json({ sub: expressPopResult<JWTPayload>(res).accessTokenClaims.sub });
  });
  app.get('/dpop', async (req, res) => {
    try {
      const payload = await verifyDpop({ method: req.method, url: origin + req.path, authorization: req.get('authorization'), dpop: req.headers.dpop });
      res.json({ sub: payload.sub });
    } catch {
      res.status(401).json(unauthorized);
    }
  });
  const server = app.listen(port, '127.0.0.1');
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
} else {
  const app = Fastify();
  app.get('/pop-keys.json', fastifyPopKeys(keys));
  app.get('/none', async () => ({ sub: 'anonymous' }));
  app.get('/bearer', async (request, reply) => {
    try {
      return { sub: (await verifyBearer(request.headers.authorization)).sub };
    } catch {
      return reply.code(401).send(unauthorized);
    }
  });
  app.get('/pop', { onRequest: popFastify(verifier, { publicOrigin: origin }) }, async (request) => ({
    sub: fastifyPopResult<JWTPayload>(request).accessTokenClaims.sub,
  }));
  app.get('/dpop', async (request, reply) => {
    try {
      const url = origin + (request.url.split('?')[0] ?? '');
      const payload = await verifyDpop({ method: request.method, url, authorization: request.headers.authorization, dpop: request.headers.dpop });
      return { sub: payload.sub };
    } catch {
      return reply.code(401).send(unauthorized);
    }
  });
  await app.listen({ port, host: '127.0.0.1' });
}
console.log('READY');
