/**
 * The resource server the scratch SSR app calls: pop-server from this repository's source
 * behind Express on a loopback port. It accepts one access token, answers `GET /api/accounts`
 * only to a verified ClientJWT request, and records the Authorization header of every request.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createVerifier, generateServerKeys } from '../../projects/pop-server/src/index.ts';
import { popExpress, popKeysHandler, popResult } from '../../projects/pop-server/src/express.ts';

export interface SeenRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  status?: number;
}

export interface ResourceServer {
  /** `http://127.0.0.1:<port>/api`: the `baseUrl` the app configures. */
  baseUrl: string;
  /** The only access token the server accepts. */
  accessToken: string;
  /** Returned by `/api/accounts` to verified requests only; its presence in a page proves one. */
  secret: string;
  /** Every request, in order. */
  seen: SeenRequest[];
  close(): Promise<void>;
}

export async function startResourceServer(): Promise<ResourceServer> {
  const accessToken = `ssr-consumer-${randomBytes(24).toString('base64url')}`;
  const secret = `balance-${randomBytes(12).toString('base64url')}`;
  const keys = await generateServerKeys();
  const verifier = createVerifier({
    keys,
    validateAccessToken: (token) => {
      if (token !== accessToken) throw new Error('unknown access token');
      return { sub: 'ssr-user' };
    },
  });
  const seen: SeenRequest[] = [];
  const app = express();
  app.use((req, res, next) => {
    const entry: SeenRequest = { method: req.method, path: req.path, authorization: req.get('authorization') };
    seen.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    next();
  });
  app.get('/api/pop-keys.json', popKeysHandler(keys));
  app.get('/api/accounts', popExpress(verifier), (_req, res) => {
    const result = popResult<{ sub: string }>(res);
    res.json({ owner: result.accessTokenClaims.sub, balance: secret, kid: result.kid });
  });
  // A second endpoint, so a test can try a captured ClientJWT on another URL.
  app.post('/api/transfer', popExpress(verifier), (_req, res) => {
    res.json({ done: true });
  });

  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    accessToken,
    secret,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
