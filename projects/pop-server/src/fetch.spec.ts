import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JWTPayload } from 'jose';
import { clientJwt, newHmacKey } from '../test/client.ts';
import { contractBody, describeAdapterContract, type ContractResponse, type StartHarness } from './adapter-contract.testing.ts';
import { PopServerConfigError } from './errors.ts';
import { VerificationError, isVerificationError } from './errors.ts';
import { popFetch, popKeysHandler, verificationResponse, withPop } from './fetch.ts';
import { generateServerKeys } from './server-keys.ts';
import { createVerifier, type Verifier } from './verifier.ts';

/** No socket: the runtime's part (building `request.url` from the Host header, 500 for a thrown error) is played here. */
const start: StartHarness = async (setup) => {
  const origin = 'http://127.0.0.1:8787';
  const keysHandler = popKeysHandler(setup.keys, { maxAgeSeconds: 120 });
  const requestUrlFromTarget = setup.requestUrlFromTarget;
  const options = {
    ...(setup.publicOrigin ? { publicOrigin: setup.publicOrigin } : {}),
    ...(requestUrlFromTarget ? { requestUrl: (request: Request) => requestUrlFromTarget(new URL(request.url).pathname) } : {}),
  };
  const protectedHandler = withPop<JWTPayload>(
    setup.verifier,
    (_request, pop) => {
      setup.onHandled();
      return new Response(contractBody(pop), { headers: { 'content-type': 'application/json' } });
    },
    options,
  );
  return {
    origin,
    async send(request) {
      const url = `http://${request.host ?? new URL(origin).host}${request.path}`;
      const incoming = new Request(url, { method: request.method ?? 'GET', headers: request.headers ?? {} });
      let response: Response;
      try {
        response = new URL(url).pathname === '/api/pop-keys.json' ? keysHandler() : await protectedHandler(incoming);
      } catch {
        response = new Response('{"error":"server_error"}', { status: 500 });
      }
      const headers: ContractResponse['headers'] = {};
      response.headers.forEach((value, name) => (headers[name] = value));
      return { status: response.status, headers, body: await response.text() };
    },
    close: async () => undefined,
  };
};

describeAdapterContract('withPop (Fetch API)', start);

const keys = await generateServerKeys();
const verifier = createVerifier({ keys, validateAccessToken: (token) => ({ token }) });

describe('Fetch API adapter: configuration and use', () => {
  it('throws PopServerConfigError at creation for a publicOrigin with credentials and a requestUrl that is not a function', () => {
    assert.throws(
      () => withPop(verifier, () => new Response(), { publicOrigin: 'https://user:pw@bank.example', requestUrl: 'https://bank.example' } as never),
      (e: unknown) => {
        assert.ok(e instanceof PopServerConfigError);
        assert.deepEqual(e.problems, [
          'withPop: publicOrigin "https://user:pw@bank.example" must not contain credentials',
          'withPop: requestUrl must be a function',
          'withPop: give publicOrigin or requestUrl, not both (requestUrl computes the whole URL)',
        ]);
        return true;
      },
    );
  });

  it('popFetch resolves the verified request and rejects with the VerificationError, for frameworks with their own chain', async () => {
    assert.throws(() => popFetch(verifier, { publicOrigin: 'https://bank.example/api' }), /popFetch: publicOrigin "https:\/\/bank\.example\/api" must be an origin/);
    const verify = popFetch(verifier);
    const url = 'https://bank.example/api/accounts';
    const key = newHmacKey();
    const token = await clientJwt({ key, accessToken: 'at-1', method: 'GET', url, serverJwk: keys.jwks().keys[0] });
    const request = () => new Request(url, { headers: { authorization: `Bearer ${token}` } });
    const pop = await verify(request());
    assert.deepEqual(pop.accessTokenClaims, { token: 'at-1' });
    await assert.rejects(verify(request()), (e: unknown) => isVerificationError(e, 'replayed_nonce'));
  });

  it('withPop passes an unexpected error on and never calls the handler', async () => {
    const bug = new TypeError('bug in a custom validator');
    const failing: Verifier<unknown> = { verify: () => Promise.reject(bug) };
    let called = false;
    const handler = withPop(failing, () => ((called = true), new Response()));
    await assert.rejects(handler(new Request('https://bank.example/api/accounts')), (e: unknown) => e === bug);
    assert.equal(called, false);
  });

  it('verificationResponse: 400 invalid_request without a WWW-Authenticate challenge', async () => {
    const response = verificationResponse(new VerificationError('invalid_request', 'secret_invalid', 'pin: encrypted value is not a compact JWE'));
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('www-authenticate'), null);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), { error: 'invalid_request', error_description: 'pin: encrypted value is not a compact JWE' });
  });
});
