import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, type JWK } from 'jose';
import { clientJwt, encryptTo, newHmacKey } from '../../pop-server/test/client.ts';
import { createShowcase, type ShowcaseOptions } from './app.ts';

async function start(options: ShowcaseOptions = {}) {
  const showcase = await createShowcase(options);
  const server: Server = showcase.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { ...showcase, base, close: () => server.close() };
}

async function login(base: string, password = 'wonderland'): Promise<Response> {
  const { keys } = (await (await fetch(`${base}/idp/pop-keys.json`)).json()) as { keys: JWK[] };
  const body = { username: 'alice', password: await encryptTo(keys[0] as JWK, password) };
  return fetch(`${base}/idp/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('showcase backend (cnf.jwk)', () => {
  let s: Awaited<ReturnType<typeof start>>;
  before(async () => (s = await start()));
  after(() => s.close());

  it('logs alice in with an encrypted password; the access token names the bank key in cnf.jwk', async () => {
    const response = await login(s.base);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 300);
    const claims = decodeJwt(body.access_token);
    assert.equal(claims.sub, 'alice');
    assert.deepEqual((claims['cnf'] as { jwk: JWK }).jwk, s.bankKeys.jwks().keys[0]);
  });

  it('rejects a wrong password with 401 invalid_grant and a plaintext password with 400', async () => {
    const wrong = await login(s.base, 'alice123');
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), { error: 'invalid_grant' });
    const plain = await fetch(`${s.base}/idp/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: 'wonderland' }) });
    assert.equal(plain.status, 400);
  });

  it('serves /api/accounts to a ClientJWT, rejects its replay, and decrypts an encrypted PIN', async () => {
    const { access_token: accessToken } = (await (await login(s.base)).json()) as { access_token: string };
    const bankJwk = (decodeJwt(accessToken)['cnf'] as { jwk: JWK }).jwk;
    const key = newHmacKey();
    const url = `${s.base}/api/accounts`;
    const first = await clientJwt({ key, accessToken, method: 'GET', url, serverJwk: bankJwk });
    const ok = await fetch(url, { headers: { authorization: `Bearer ${first}` } });
    assert.equal(ok.status, 200);
    const accounts = (await ok.json()) as { owner: string; accounts: unknown[] };
    assert.equal(accounts.owner, 'alice');
    assert.equal(accounts.accounts.length, 2);

    const replay = await fetch(url, { headers: { authorization: `Bearer ${first}` } });
    assert.equal(replay.status, 401);
    assert.match(replay.headers.get('www-authenticate') ?? '', /replayed_nonce/);

    const pinUrl = `${s.base}/api/pin`;
    const pinJwt = await clientJwt({ key, accessToken, method: 'POST', url: pinUrl });
    const pin = await fetch(pinUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${pinJwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pin: await encryptTo(bankJwk, '4711') }),
    });
    assert.equal(pin.status, 200);
    assert.deepEqual(await pin.json(), { received: '4711' });
  });

  it('rejects a PIN sent in plaintext, and an access token the IdP did not sign', async () => {
    const { access_token: accessToken } = (await (await login(s.base)).json()) as { access_token: string };
    const bankJwk = s.bankKeys.jwks().keys[0] as JWK;
    const key = newHmacKey();
    const pinUrl = `${s.base}/api/pin`;
    const plain = await fetch(pinUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${await clientJwt({ key, accessToken, method: 'POST', url: pinUrl, serverJwk: bankJwk })}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pin: '4711' }),
    });
    assert.equal(plain.status, 400);

    const [h, p] = accessToken.split('.');
    const forged = `${h}.${p}.${'A'.repeat(86)}`;
    const url = `${s.base}/api/accounts`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${await clientJwt({ key: newHmacKey(), accessToken: forged, method: 'GET', url, serverJwk: bankJwk })}` } });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /invalid_token/);
  });
});

describe('showcase backend (cnf.jku, static files)', () => {
  let s: Awaited<ReturnType<typeof start>>;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'showcase-static-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>showcase</title>');
    s = await start({ cnf: 'jku', staticDir: dir });
  });
  after(() => {
    s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the bank key by jku on the request origin, with its kid', async () => {
    const { access_token: accessToken } = (await (await login(s.base)).json()) as { access_token: string };
    const cnf = decodeJwt(accessToken)['cnf'] as { jku: string; kid: string };
    assert.equal(cnf.jku, `${s.base}/api/pop-keys.json`);
    const jwks = (await (await fetch(cnf.jku)).json()) as { keys: JWK[] };
    assert.equal(jwks.keys[0]?.kid, cnf.kid);
  });

  it('serves index.html for app routes and JSON 404 under /api', async () => {
    const page = await fetch(`${s.base}/pin`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>showcase<\/title>/);
    const missing = await fetch(`${s.base}/api/nothing`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: 'not_found' });
  });
});
