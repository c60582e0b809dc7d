/**
 * pop-lib as a user installs it, in a fresh `ng new --ssr` app outside the workspace: the app
 * is configured as the README says, a route calls the resource server while rendering on the
 * server, and pop-server (this repository's source, on loopback) verifies that call. Then what
 * someone who read the request in a proxy log would try next. Run by `npm run test:consumer:ssr`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { popLibTarball } from './pop-lib-tarball.ts';
import { startResourceServer, type ResourceServer, type SeenRequest } from './resource-server.ts';
import { createSsrApp, startSsrServer, type SsrServer } from './scratch-app.ts';

const WORKSPACE = resolve(import.meta.dirname, '../..');
const COMPACT_JWE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

describe('pop-lib in an Angular SSR app (ng new --ssr, installed from the tarball)', () => {
  let scratch: string;
  let resource: ResourceServer;
  let ssr: SsrServer;

  before(
    async () => {
      scratch = mkdtempSync(join(tmpdir(), 'pop-ssr-consumer-'));
      resource = await startResourceServer();
      const tarball = popLibTarball(WORKSPACE);
      const dir = createSsrApp({ workspace: WORKSPACE, parent: scratch, tarball, resourceServer: resource.baseUrl, accessToken: resource.accessToken });
      ssr = await startSsrServer(dir, WORKSPACE);
    },
    { timeout: 15 * 60_000 },
  );

  after(async () => {
    await ssr?.stop();
    await resource?.close();
    if (scratch && process.env['POP_KEEP_SCRATCH']) console.log(`scratch app kept in ${scratch}`);
    else if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** The HTML the SSR server renders for `path`. */
  async function render(path: string): Promise<string> {
    const response = await fetch(`${ssr.origin}${path}`, { signal: AbortSignal.timeout(30_000) });
    assert.equal(response.status, 200, `GET ${path}: ${response.status}\n${ssr.output()}`);
    return response.text();
  }

  const accountCalls = () => resource.seen.filter((r) => r.path === '/api/accounts');
  const clientJwtOf = (request: SeenRequest) => (request.authorization ?? '').replace(/^Bearer /, '');

  it('renders a route whose API call went out as a ClientJWT that pop-server verified', async () => {
    const html = await render('/accounts');
    assert.match(html, new RegExp(`data-state="verified"[^>]*>owner=ssr-user balance=${resource.secret}<`), `rendered:\n${html}\nSSR server:\n${ssr.output()}`);

    const calls = accountCalls();
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.status, 200);
    const jwt = clientJwtOf(calls[0] as SeenRequest);
    const header = decodeProtectedHeader(jwt);
    assert.equal(header.alg, 'HS256');
    assert.equal(header.typ, 'client+jwt');
    assert.equal(typeof header.kid, 'string');
    const claims = decodeJwt(jwt);
    assert.equal(claims['access_token'], resource.accessToken);
    assert.equal(claims['htm'], 'GET');
    assert.equal(claims['htu'], `${resource.baseUrl}/accounts`);
    // The first request registers the HMAC key: it carries it encrypted to the server's key.
    assert.match(String(claims['hmac_key']), COMPACT_JWE);
  });

  it('renders again with a new ClientJWT: a fresh nonce per request, verified again', async () => {
    const before = accountCalls().length;
    const html = await render('/accounts');
    assert.match(html, new RegExp(`balance=${resource.secret}<`), `rendered:\n${html}\nSSR server:\n${ssr.output()}`);
    const calls = accountCalls().slice(before);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.status, 200);
    const nonces = accountCalls().map((call) => decodeJwt(clientJwtOf(call))['nonce']);
    assert.equal(new Set(nonces).size, nonces.length, 'a nonce was used twice');
  });

  it('never sent the bare access token to the API endpoint', () => {
    assert.ok(accountCalls().length >= 2);
    for (const call of accountCalls()) {
      assert.notEqual(call.authorization, `Bearer ${resource.accessToken}`);
      assert.equal(decodeProtectedHeader(clientJwtOf(call)).typ, 'client+jwt');
    }
  });

  it('keeps the access token and the ClientJWTs out of the HTML sent to the browser', async () => {
    // The HTML is what a CDN or a shared cache may keep: no token may ride along in it
    // (for instance in Angular's HTTP transfer cache).
    const html = await render('/accounts');
    assert.ok(!html.includes(resource.accessToken), 'the access token is in the rendered HTML');
    for (const call of accountCalls()) assert.ok(!html.includes(clientJwtOf(call).split('.')[1] ?? '-'), 'a ClientJWT is in the rendered HTML');
  });

  it('refuses a captured request replayed from a proxy log: 401 replayed_nonce', async () => {
    const captured = accountCalls()[0] as SeenRequest;
    const replay = await fetch(`${resource.baseUrl}/accounts`, { headers: { authorization: captured.authorization ?? '' } });
    assert.equal(replay.status, 401);
    assert.match(replay.headers.get('www-authenticate') ?? '', /error="replayed_nonce"/);
  });

  it('refuses the access token lifted out of a captured ClientJWT and sent bare: 401', async () => {
    const lifted = decodeJwt(clientJwtOf(accountCalls()[0] as SeenRequest))['access_token'];
    assert.equal(lifted, resource.accessToken);
    const bare = await fetch(`${resource.baseUrl}/accounts`, { headers: { authorization: `Bearer ${String(lifted)}` } });
    assert.equal(bare.status, 401);
    assert.match(bare.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  it('refuses a captured ClientJWT spent on another endpoint: 401 invalid_token', async () => {
    const captured = accountCalls().at(-1) as SeenRequest;
    const elsewhere = await fetch(`${resource.baseUrl}/transfer`, { method: 'POST', headers: { authorization: captured.authorization ?? '' } });
    assert.equal(elsewhere.status, 401);
    assert.match(elsewhere.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });
});
