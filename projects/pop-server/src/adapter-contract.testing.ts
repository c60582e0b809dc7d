/**
 * The behaviour every framework adapter must show, as node:test suites each adapter's spec
 * runs against a small app built with it. A ClientJWT that someone copied out of a proxy log
 * must fail on every adapter the same way: replayed, re-aimed at another path, host or
 * method, or sent with a forged Host header. Not part of the package (the build excludes
 * `*.testing.ts`).
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { JWK, JWTPayload } from 'jose';
import { clientJwt, newHmacKey, testIssuer, type TestHmacKey } from '../test/client.ts';
import { jwksAccessTokenValidator } from './access-token-validator.ts';
import { MemoryStore } from './memory-store.ts';
import { generateServerKeys, type ServerKeys } from './server-keys.ts';
import type { PopStore } from './store.ts';
import { createVerifier, type VerifiedRequest, type Verifier } from './verifier.ts';

export interface ContractRequest {
  method?: string;
  /** Origin-form request target, e.g. `/api/accounts?x=1`. */
  path: string;
  /** The Host header (default: the harness's own host). */
  host?: string;
  headers?: Record<string, string>;
}

export interface ContractResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: string;
}

export interface HarnessSetup {
  verifier: Verifier<JWTPayload>;
  keys: ServerKeys;
  publicOrigin?: string;
  /** For the `requestUrl` option: the absolute URL for a request's origin-form target. */
  requestUrlFromTarget?: (target: string) => string;
  /** The framework's "trust proxy" setting: honour `X-Forwarded-Proto` and `X-Forwarded-Host`. */
  trustProxy?: boolean;
  /** Called by the protected route's handler each time it runs. */
  onHandled: () => void;
}

/**
 * A server built with one adapter: `GET /api/pop-keys.json` (`popKeysHandler(keys, { maxAgeSeconds: 120 })`)
 * and every other path protected by the ClientJWT adapter, answering 200 with
 * `{ "sub": <access token subject>, "registered": <boolean> }`.
 */
export interface Harness {
  /** The origin the harness is reached at, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  send(request: ContractRequest): Promise<ContractResponse>;
  close(): Promise<void>;
}

export type StartHarness = (setup: HarnessSetup) => Promise<Harness>;

const issuer = await testIssuer();
const keys = await generateServerKeys();
const serverJwk = keys.jwks().keys[0] as JWK;

function verifierWith(store: PopStore = new MemoryStore()): Verifier<JWTPayload> {
  return createVerifier({
    keys,
    replayStore: store,
    validateAccessToken: jwksAccessTokenValidator(issuer.jwks, { issuer: 'https://idp.test', audience: 'bank' }),
  });
}

/** A running harness plus a fresh HMAC key and access token, and a ClientJWT factory for them. */
async function fixture(start: StartHarness, setup: Partial<HarnessSetup> = {}) {
  let handled = 0;
  const harness = await start({ verifier: verifierWith(), keys, onHandled: () => handled++, ...setup });
  const key: TestHmacKey = newHmacKey();
  const accessToken = await issuer.accessToken();
  return {
    harness,
    handled: () => handled,
    /** A ClientJWT for `url`; with `register` it carries `hmac_key`. */
    token: (method: string, url: string, register = false) => clientJwt({ key, accessToken, method, url, ...(register ? { serverJwk } : {}) }),
    /** Registers the fixture's key with one accepted request to `url`. */
    async register(url: string, target = new URL(url).pathname) {
      const response = await harness.send({ path: target, headers: bearer(await clientJwt({ key, accessToken, method: 'GET', url, serverJwk })) });
      assert.equal(response.status, 200, `registration failed: ${response.body}`);
    },
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function assertRejected(response: ContractResponse, error: string, description?: RegExp): void {
  assert.equal(response.status, error === 'temporarily_unavailable' ? 503 : 401, response.body);
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.match(response.headers['content-type'] ?? '', /^application\/json/);
  const body = JSON.parse(response.body) as { error: string; error_description: string };
  assert.equal(body.error, error);
  if (description) assert.match(body.error_description, description);
  if (response.status === 401) {
    assert.match(response.headers['www-authenticate'] ?? '', new RegExp(`^Bearer error="${error}", error_description="`));
  } else {
    assert.equal(response.headers['www-authenticate'], undefined);
  }
}

/** The suites every adapter passes. */
export function describeAdapterContract(adapter: string, start: StartHarness): void {
  describe(`${adapter}: origin taken from the request`, () => {
    let f: Awaited<ReturnType<typeof fixture>>;
    before(async () => (f = await fixture(start)));
    after(() => f.harness.close());

    it('serves pop-keys.json: JSON, Cache-Control max-age, public key members only', async () => {
      const response = await f.harness.send({ path: '/api/pop-keys.json' });
      assert.equal(response.status, 200);
      assert.match(response.headers['content-type'] ?? '', /^application\/json/);
      assert.equal(response.headers['cache-control'], 'public, max-age=120');
      const body = JSON.parse(response.body) as { keys: JWK[] };
      assert.deepEqual(body, keys.jwks());
      assert.equal(body.keys[0]?.d, undefined);
    });

    it('lets a ClientJWT with hmac_key through to the handler (query string not part of htu), then the key alone', async () => {
      const url = `${f.harness.origin}/api/accounts`;
      const first = await f.harness.send({ path: '/api/accounts?page=2', headers: bearer(await f.token('GET', url, true)) });
      assert.equal(first.status, 200, first.body);
      assert.deepEqual(JSON.parse(first.body), { sub: 'alice', registered: true });
      const next = await f.harness.send({ method: 'POST', path: '/api/accounts', headers: bearer(await f.token('POST', url)) });
      assert.equal(next.status, 200, next.body);
      assert.deepEqual(JSON.parse(next.body), { sub: 'alice', registered: false });
    });

    it('answers the replay of a captured Authorization header 401 replayed_nonce, without running the handler', async () => {
      const url = `${f.harness.origin}/api/accounts`;
      await f.register(url);
      const captured = bearer(await f.token('GET', url));
      assert.equal((await f.harness.send({ path: '/api/accounts', headers: captured })).status, 200);
      const handled = f.handled();
      assertRejected(await f.harness.send({ path: '/api/accounts', headers: captured }), 'replayed_nonce');
      assert.equal(f.handled(), handled);
    });

    // These ClientJWTs carry hmac_key, so only the request binding can refuse them.
    it('refuses a captured ClientJWT re-aimed at another path or method (401 invalid_token)', async () => {
      const url = `${f.harness.origin}/api/accounts`;
      assertRejected(await f.harness.send({ path: '/api/transfers', headers: bearer(await f.token('GET', url, true)) }), 'invalid_token', /htu/);
      assertRejected(await f.harness.send({ method: 'DELETE', path: '/api/accounts', headers: bearer(await f.token('GET', url, true)) }), 'invalid_token', /htm/);
    });

    it('keeps a path that looks like an authority (//evil.example/…) a path of this origin', async () => {
      const token = await f.token('GET', 'http://evil.example/api/accounts', true);
      assertRejected(await f.harness.send({ path: '//evil.example/api/accounts', headers: bearer(token) }), 'invalid_token', /htu/);
    });

    it('answers 401 invalid_token without Authorization, for another scheme, and for a bare access token', async () => {
      const before = f.handled();
      assertRejected(await f.harness.send({ path: '/api/accounts' }), 'invalid_token');
      assertRejected(await f.harness.send({ path: '/api/accounts', headers: { authorization: 'Basic YWxpY2U6d29uZGVybGFuZA==' } }), 'invalid_token');
      assertRejected(await f.harness.send({ path: '/api/accounts', headers: bearer(await issuer.accessToken()) }), 'invalid_token');
      assert.equal(f.handled(), before);
    });

    it('answers 401 unknown_hmac_key for a key the server does not know (the client then retries with hmac_key)', async () => {
      const stranger = await clientJwt({ key: newHmacKey(), accessToken: await issuer.accessToken(), method: 'GET', url: `${f.harness.origin}/api/accounts` });
      assertRejected(await f.harness.send({ path: '/api/accounts', headers: bearer(stranger) }), 'unknown_hmac_key');
    });
  });

  describe(`${adapter}: publicOrigin behind a proxy`, () => {
    let f: Awaited<ReturnType<typeof fixture>>;
    before(async () => (f = await fixture(start, { publicOrigin: 'https://bank.example', trustProxy: true })));
    after(() => f.harness.close());

    it('accepts the URL the client addressed although the server is reached on another origin', async () => {
      const response = await f.harness.send({ path: '/api/accounts', headers: bearer(await f.token('GET', 'https://bank.example/api/accounts', true)) });
      assert.equal(response.status, 200, response.body);
    });

    it('refuses a ClientJWT made for the internal address', async () => {
      await f.register('https://bank.example/api/accounts');
      const internal = await f.token('GET', `${f.harness.origin}/api/accounts`);
      assertRejected(await f.harness.send({ path: '/api/accounts', headers: bearer(internal) }), 'invalid_token', /htu/);
    });

    it('ignores a forged Host, X-Forwarded-Host and X-Forwarded-Proto, even with trust proxy on', async () => {
      await f.register('https://bank.example/api/accounts');
      const forged = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' };
      for (const url of ['https://evil.example/api/accounts', 'http://evil.example/api/accounts']) {
        const response = await f.harness.send({ path: '/api/accounts', host: 'evil.example', headers: { ...forged, ...bearer(await f.token('GET', url)) } });
        assertRejected(response, 'invalid_token', /htu/);
      }
    });
  });

  describe(`${adapter}: requestUrl for a proxy that rewrites paths`, () => {
    let f: Awaited<ReturnType<typeof fixture>>;
    before(async () => (f = await fixture(start, { requestUrlFromTarget: (target) => `https://bank.example/api${target.split('?')[0]}` })));
    after(() => f.harness.close());

    it('compares htu with the URL requestUrl computes', async () => {
      const ok = await f.harness.send({ path: '/accounts', headers: bearer(await f.token('GET', 'https://bank.example/api/accounts', true)) });
      assert.equal(ok.status, 200, ok.body);
      const direct = await f.harness.send({ path: '/accounts', headers: bearer(await f.token('GET', `${f.harness.origin}/accounts`)) });
      assertRejected(direct, 'invalid_token', /htu/);
    });
  });

  describe(`${adapter}: failures that are not the client's`, () => {
    it('answers 503 temporarily_unavailable with Retry-After when the store cannot answer (fails closed)', async () => {
      const broken: PopStore = {
        setIfAbsent: () => Promise.reject(new Error('connection refused')),
        get: () => Promise.reject(new Error('connection refused')),
      };
      const f = await fixture(start, { verifier: verifierWith(broken) });
      try {
        const response = await f.harness.send({ path: '/api/accounts', headers: bearer(await f.token('GET', `${f.harness.origin}/api/accounts`)) });
        assertRejected(response, 'temporarily_unavailable');
        assert.equal(response.headers['retry-after'], '1');
        assert.equal(f.handled(), 0);
      } finally {
        await f.harness.close();
      }
    });

    it('never runs the handler when the verifier fails unexpectedly (a server error, not a pass)', async () => {
      const failing: Verifier<JWTPayload> = { verify: () => Promise.reject(new TypeError('bug in a custom validator')) };
      const f = await fixture(start, { verifier: failing });
      try {
        const response = await f.harness.send({ path: '/api/accounts', headers: bearer(await f.token('GET', `${f.harness.origin}/api/accounts`)) });
        assert.equal(response.status, 500);
        assert.equal(f.handled(), 0);
      } finally {
        await f.harness.close();
      }
    });
  });
}

/**
 * For adapters that build the origin from the Host header themselves (Express, Fastify):
 * a forged Host cannot move the path, and X-Forwarded-* count only when the framework is
 * told to trust a proxy.
 */
export function describeHostHeaderContract(adapter: string, start: StartHarness): void {
  describe(`${adapter}: origin from Host and X-Forwarded-*`, () => {
    it('refuses a Host header that smuggles a path into the request URL', async () => {
      const f = await fixture(start);
      try {
        const host = new URL(f.harness.origin).host;
        // Concatenated naively, Host "127.0.0.1:port/api" + "/api/accounts" would give this htu.
        const token = await f.token('GET', `http://${host}/api/api/accounts`, true);
        for (const forged of [`${host}/api`, `${host}/api?`, `evil.example@${host}`]) {
          assertRejected(await f.harness.send({ path: '/api/accounts', host: forged, headers: bearer(token) }), 'invalid_token', /htu/);
        }
        assert.equal(f.handled(), 0);
      } finally {
        await f.harness.close();
      }
    });

    it('ignores X-Forwarded-Host and X-Forwarded-Proto unless the framework trusts the proxy', async () => {
      const f = await fixture(start, { trustProxy: false });
      try {
        const forwarded = { 'x-forwarded-host': 'bank.example', 'x-forwarded-proto': 'https' };
        const token = await f.token('GET', 'https://bank.example/api/accounts', true);
        assertRejected(await f.harness.send({ path: '/api/accounts', headers: { ...forwarded, ...bearer(token) } }), 'invalid_token', /htu/);
      } finally {
        await f.harness.close();
      }
    });

    it('with trust proxy on, takes the origin from X-Forwarded-* and refuses a protocol that is not http(s)', async () => {
      const f = await fixture(start, { trustProxy: true });
      try {
        const forwarded = { 'x-forwarded-host': 'bank.example', 'x-forwarded-proto': 'https' };
        const ok = await f.harness.send({ path: '/api/accounts', headers: { ...forwarded, ...bearer(await f.token('GET', 'https://bank.example/api/accounts', true)) } });
        assert.equal(ok.status, 200, ok.body);
        const odd = { 'x-forwarded-host': 'bank.example', 'x-forwarded-proto': 'javascript' };
        assertRejected(await f.harness.send({ path: '/api/accounts', headers: { ...odd, ...bearer(await f.token('GET', 'https://bank.example/api/accounts')) } }), 'invalid_token', /htu/);
      } finally {
        await f.harness.close();
      }
    });
  });
}

/** The protected route's JSON answer. */
export function contractBody(pop: VerifiedRequest<JWTPayload>): string {
  return JSON.stringify({ sub: pop.accessTokenClaims.sub, registered: pop.registered });
}

/** One HTTP/1.1 request on loopback with full control of the Host header (fetch forbids setting it). */
export function sendHttp(origin: string, request: ContractRequest): Promise<ContractResponse> {
  const { hostname, port, host } = new URL(origin);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { hostname, port, method: request.method ?? 'GET', path: request.path, headers: { host: request.host ?? host, ...request.headers }, timeout: 5_000 },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          const headers: Record<string, string | undefined> = {};
          for (const [name, value] of Object.entries(response.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          resolve({ status: response.statusCode ?? 0, headers, body });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`request to ${origin}${request.path} timed out`)));
    outgoing.on('error', reject);
    outgoing.end();
  });
}
