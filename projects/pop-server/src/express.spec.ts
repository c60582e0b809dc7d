import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import express from 'express';
import type { JWTPayload } from 'jose';
import { contractBody, describeAdapterContract, describeHostHeaderContract, sendHttp, type StartHarness } from './adapter-contract.testing.ts';
import { PopServerConfigError } from './config-error.ts';
import { popExpress, popKeysHandler, popResult } from './express.ts';
import { generateServerKeys } from './server-keys.ts';
import { createVerifier } from './verifier.ts';

const start: StartHarness = async (setup) => {
  const app = express();
  app.set('trust proxy', setup.trustProxy ?? false);
  app.get('/api/pop-keys.json', popKeysHandler(setup.keys, { maxAgeSeconds: 120 }));
  const requestUrlFromTarget = setup.requestUrlFromTarget;
  const options = {
    ...(setup.publicOrigin ? { publicOrigin: setup.publicOrigin } : {}),
    ...(requestUrlFromTarget ? { requestUrl: (req: express.Request) => requestUrlFromTarget(req.originalUrl) } : {}),
  };
  app.use(popExpress(setup.verifier, options), (_req, res) => {
    setup.onHandled();
    res.type('json').send(contractBody(popResult<JWTPayload>(res)));
  });
  // Express's default error handler would print the stack of the deliberate failure test.
  app.use((_e: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: 'server_error' });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    send: (request) => sendHttp(origin, request),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

describeAdapterContract('popExpress', start);
describeHostHeaderContract('popExpress', start);

const verifier = createVerifier({ keys: await generateServerKeys(), validateAccessToken: () => true });

describe('popExpress: configuration and use', () => {

  it('throws PopServerConfigError at creation for a publicOrigin with a path, listing every problem', () => {
    assert.throws(
      () => popExpress(verifier, { publicOrigin: 'https://bank.example/api', publicorigin: 'x' } as never),
      (e: unknown) => {
        assert.ok(e instanceof PopServerConfigError);
        assert.equal(e.code, 'config_invalid');
        assert.equal(e.problems.length, 2);
        assert.match(e.message, /popExpress: publicOrigin "https:\/\/bank\.example\/api" must be an origin/);
        assert.match(e.message, /unknown option "publicorigin"/);
        return true;
      },
    );
  });

  it('popResult throws when the middleware did not run for the route', () => {
    const res = { locals: {} } as express.Response;
    assert.throws(() => popResult(res), /popExpress middleware did not run/);
  });
});
