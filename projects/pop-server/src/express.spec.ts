import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import type { JWK } from 'jose';
import { clientJwt, newHmacKey } from '../test/client.ts';
import { popExpress, popKeysHandler, popResult } from './express.ts';
import { generateServerKeys } from './server-keys.ts';
import { createVerifier } from './verifier.ts';

const keys = await generateServerKeys();
const serverJwk = keys.jwks().keys[0] as JWK;

describe('Express adapters', () => {
  let base: string;
  let close: () => void;

  before(async () => {
    const app = express();
    const verifier = createVerifier({ keys, validateAccessToken: (token) => ({ token }) });
    app.get('/api/pop-keys.json', popKeysHandler(keys, { maxAgeSeconds: 120 }));
    app.get('/api/accounts', popExpress(verifier), (_req, res) => {
      res.json({ accessToken: popResult<{ token: string }>(res).accessTokenClaims.token });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(() => close());

  it('serves pop-keys.json with Cache-Control and only public members', async () => {
    const response = await fetch(`${base}/api/pop-keys.json`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=120');
    const body = (await response.json()) as { keys: JWK[] };
    assert.deepEqual(body, keys.jwks());
    assert.equal(body.keys[0]?.d, undefined);
  });

  it('lets a valid ClientJWT through (htu from protocol, Host and path) and answers a replay with 401 replayed_nonce', async () => {
    const key = newHmacKey();
    const url = `${base}/api/accounts`;
    const token = await clientJwt({ key, accessToken: 'at-1', method: 'GET', url, serverJwk });
    const ok = await fetch(`${url}?x=1`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { accessToken: 'at-1' });
    const replay = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(replay.status, 401);
    assert.match(replay.headers.get('www-authenticate') ?? '', /^Bearer error="replayed_nonce", error_description="/);
    assert.equal(replay.headers.get('cache-control'), 'no-store');
    assert.equal(((await replay.json()) as { error: string }).error, 'replayed_nonce');
  });

  it('answers 401 unknown_hmac_key and invalid_token with WWW-Authenticate', async () => {
    const url = `${base}/api/accounts`;
    const unknown = await fetch(url, { headers: { authorization: `Bearer ${await clientJwt({ key: newHmacKey(), accessToken: 'at', method: 'GET', url })}` } });
    assert.equal(unknown.status, 401);
    assert.match(unknown.headers.get('www-authenticate') ?? '', /error="unknown_hmac_key"/);
    const none = await fetch(url);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  it('rejects a ClientJWT made for another host name (htu)', async () => {
    const key = newHmacKey();
    const token = await clientJwt({ key, accessToken: 'at', method: 'GET', url: `${base.replace('127.0.0.1', 'localhost')}/api/accounts`, serverJwk });
    const response = await fetch(`${base}/api/accounts`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /htu/);
  });
});
