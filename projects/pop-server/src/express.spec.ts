import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import express from 'express';
import type { JWK, JWTPayload } from 'jose';
import { secretJwe } from '../test/client.ts';
import { contractBody, describeAdapterContract, describeHostHeaderContract, sendHttp, type StartHarness } from './adapter-contract.testing.ts';
import { PopServerConfigError } from './errors.ts';
import { popExpress, popKeysHandler, popResult, popSecretFields, popSecrets } from './express.ts';
import { MemoryStore } from './memory-store.ts';
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

describe('popSecretFields: secret form fields for one endpoint', () => {
  const PUBLIC_ORIGIN = 'https://bank.example';

  async function startSecrets(options: Partial<Parameters<typeof popSecretFields>[1]> = {}) {
    const keys = await generateServerKeys();
    const store = new MemoryStore();
    const app = express();
    app.post('/api/pin', express.json(), popSecretFields(keys, { fields: ['pin'], replayStore: store, publicOrigin: PUBLIC_ORIGIN, ...options }), (req, res) => {
      res.json({ pin: popSecrets(res)['pin'], bodyStillEncrypted: req.body.pin !== popSecrets(res)['pin'] });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = (body: unknown, path = '/api/pin') => fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { keys, store, post, jwk: keys.jwks().keys[0] as JWK, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('hands the handler the plaintext of a JWE made for this endpoint, and refuses it the second time', async () => {
    const s = await startSecrets();
    try {
      const body = { pin: await secretJwe(s.jwk, '4711', `${PUBLIC_ORIGIN}/api/pin`) };
      const ok = await s.post(body);
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), { pin: '4711', bodyStillEncrypted: true });
      const replay = await s.post(body);
      assert.equal(replay.status, 400);
      assert.deepEqual(await replay.json(), { error: 'invalid_request', error_description: 'pin: this encrypted value was already used' });
    } finally {
      await s.close();
    }
  });

  it('refuses a JWE for another endpoint or host, a plaintext, a missing field and a stale JWE, without running the handler', async () => {
    const s = await startSecrets();
    try {
      const cases: [unknown, RegExp][] = [
        [{ pin: await secretJwe(s.jwk, '4711', `${PUBLIC_ORIGIN}/api/transfer`) }, /another endpoint/],
        [{ pin: await secretJwe(s.jwk, '4711', 'https://evil.example/api/pin') }, /another endpoint/],
        [{ pin: '4711' }, /compact JWE/],
        [{}, /compact JWE string/],
        [{ pin: await secretJwe(s.jwk, '4711', `${PUBLIC_ORIGIN}/api/pin`, { iat: Math.floor(Date.now() / 1000) - 3600 }) }, /too old/],
      ];
      for (const [body, description] of cases) {
        const response = await s.post(body);
        assert.equal(response.status, 400, JSON.stringify(body).slice(0, 60));
        assert.match(((await response.json()) as { error_description: string }).error_description, description);
      }
      assert.equal(s.store.size, 0);
    } finally {
      await s.close();
    }
  });

  it('checks its options at creation', async () => {
    const keys = await generateServerKeys();
    for (const options of [
      { fields: [], replayStore: new MemoryStore() },
      { fields: ['pin'] },
      { fields: ['pin'], replayStore: new MemoryStore(), maxAgeSeconds: Number.NaN },
      { fields: ['pin'], replayStore: new MemoryStore(), publicOrigin: 'https://bank.example/api' },
    ]) {
      assert.throws(() => popSecretFields(keys, options as never), PopServerConfigError, JSON.stringify(options));
    }
  });
});
