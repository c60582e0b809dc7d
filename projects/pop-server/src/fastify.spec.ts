import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify, { type FastifyRequest } from 'fastify';
import type { JWTPayload } from 'jose';
import { contractBody, describeAdapterContract, describeHostHeaderContract, sendHttp, type StartHarness } from './adapter-contract.testing.ts';
import { PopServerConfigError } from './errors.ts';
import { popFastify, popKeysHandler, popResult } from './fastify.ts';
import { generateServerKeys } from './server-keys.ts';
import { createVerifier } from './verifier.ts';

const start: StartHarness = async (setup) => {
  const app = Fastify({ trustProxy: setup.trustProxy ?? false });
  app.get('/api/pop-keys.json', popKeysHandler(setup.keys, { maxAgeSeconds: 120 }));
  const requestUrlFromTarget = setup.requestUrlFromTarget;
  const options = {
    ...(setup.publicOrigin ? { publicOrigin: setup.publicOrigin } : {}),
    ...(requestUrlFromTarget ? { requestUrl: (request: FastifyRequest) => requestUrlFromTarget(request.originalUrl) } : {}),
  };
  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/*',
    onRequest: popFastify(setup.verifier, options),
    handler: async (request, reply) => {
      setup.onHandled();
      return reply.type('application/json').send(contractBody(popResult<JWTPayload>(request)));
    },
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { origin: address, send: (request) => sendHttp(address, request), close: () => app.close() };
};

describeAdapterContract('popFastify', start);
describeHostHeaderContract('popFastify', start);

const verifier = createVerifier({ keys: await generateServerKeys(), validateAccessToken: () => true });

describe('popFastify: configuration and use', () => {

  it('throws PopServerConfigError at creation for a bad publicOrigin and a missing verifier', () => {
    assert.throws(
      () => popFastify(undefined as never, { publicOrigin: 'bank.example' }),
      (e: unknown) => {
        assert.ok(e instanceof PopServerConfigError);
        assert.deepEqual(e.problems, [
          'popFastify: the first argument must be a verifier from createVerifier()',
          'popFastify: publicOrigin "bank.example" is not an absolute URL; expected an origin such as "https://api.example" (scheme, host and optional port)',
        ]);
        return true;
      },
    );
  });

  it('works as an app-wide onRequest hook and runs before the body is read', async () => {
    const app = Fastify();
    let bodyRead = false;
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      bodyRead = true;
      done(null, body);
    });
    app.addHook('onRequest', popFastify(verifier));
    app.post('/api/pin', async () => ({ ok: true }));
    try {
      const response = await app.inject({ method: 'POST', url: '/api/pin', payload: '{"pin":"1234"}', headers: { 'content-type': 'application/json' } });
      assert.equal(response.statusCode, 401);
      assert.equal(response.json<{ error: string }>().error, 'invalid_token');
      assert.equal(bodyRead, false);
    } finally {
      await app.close();
    }
  });

  it('popResult throws when the hook did not run for the route', () => {
    assert.throws(() => popResult({} as FastifyRequest), /popFastify hook did not run/);
  });
});
