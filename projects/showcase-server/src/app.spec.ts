import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader, type JWK } from 'jose';
import { clientJwt, newHmacKey, secretJwe } from '../../pop-server/test/client.ts';
import { createShowcase, type Showcase, type ShowcaseOptions } from './app.ts';
import { SHOWCASE_CLIENT_ID } from './idp/identity-provider.ts';
import { signIn, startSignIn } from './testing/code-flow.ts';

/** Listens first, so the showcase can be built for the origin it is reached at. */
async function start(options: Omit<ShowcaseOptions, 'publicOrigin'> = {}) {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const showcase: Showcase = await createShowcase({ ...options, publicOrigin: origin });
  server.on('request', showcase.app);
  return {
    ...showcase,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('showcase backend: oidc-provider and the bank (res_pub_key)', () => {
  let s: Awaited<ReturnType<typeof start>>;
  before(async () => (s = await start()));
  after(() => s.close());

  it('publishes discovery for the issuer the browser sees, with the ES256 signing keys', async () => {
    const discovery = (await (await fetch(`${s.urls.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(discovery['issuer'], s.urls.issuer);
    assert.equal(discovery['authorization_endpoint'], `${s.urls.issuer}/auth`);
    assert.deepEqual(discovery['code_challenge_methods_supported'], ['S256']);
    const jwks = (await (await fetch(String(discovery['jwks_uri']))).json()) as { keys: JWK[] };
    assert.deepEqual(jwks, s.signingKeys.publicJwks);
  });

  it('signs alice in with the code flow and PKCE; the bank access token is an ES256 JWT naming the bank key in res_pub_key', async () => {
    const tokens = await signIn(s.urls);
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(tokens.scope, 'accounts', "the access token's scope: the bank's only scope");
    assert.deepEqual(decodeProtectedHeader(tokens.access_token), { alg: 'ES256', typ: 'at+jwt', kid: s.signingKeys.publicJwks.keys[0]?.kid });
    const claims = decodeJwt(tokens.access_token);
    assert.equal(claims.iss, s.urls.issuer);
    assert.equal(claims.aud, s.urls.bankResource);
    assert.equal(claims.sub, 'alice');
    assert.equal(claims['scope'], 'accounts');
    assert.equal(claims['client_id'], SHOWCASE_CLIENT_ID);
    assert.deepEqual(claims['res_pub_key'], s.bankKeys.jwks().keys[0]);
    assert.equal(claims['cnf'], undefined);
    assert.equal(decodeJwt(tokens.id_token).aud, SHOWCASE_CLIENT_ID);
  });

  it('describes the pending interaction to the login page', async () => {
    const step = await startSignIn(s.urls);
    const details = (await (await step.browser.fetch(`${s.urls.issuer}/interaction/${step.uid}/details`)).json()) as Record<string, unknown>;
    assert.deepEqual(details, {
      uid: step.uid,
      prompt: 'login',
      client: { id: SHOWCASE_CLIENT_ID, name: 'pop-lib showcase' },
      scope: 'openid accounts',
      resource: s.urls.bankResource,
      redirectUri: s.urls.redirectUri,
      codeChallengeMethod: 'S256',
    });
    const stranger = await fetch(`${s.urls.issuer}/interaction/${step.uid}/details`);
    assert.equal(stranger.status, 400, 'without the interaction cookie');
    assert.equal(((await stranger.json()) as { error: string }).error, 'interaction_expired');
  });

  it('answers a wrong password 401 login_failed (after decrypting it) and keeps the interaction open; refuses a plaintext password', async () => {
    const step = await startSignIn(s.urls);
    const wrong = await step.login('alice123');
    assert.equal(wrong.status, 401);
    const body = (await wrong.json()) as { error: string; verified: { jwe: { kid: string }; audience: string } };
    assert.equal(body.error, 'login_failed');
    assert.equal(body.verified.jwe.kid, s.passwordKeys.keys[0]?.kid);
    assert.equal(body.verified.audience, `${s.urls.issuer}/interaction/${step.uid}/login`);

    const plain = await step.login('wonderland', { plaintext: true });
    assert.equal(plain.status, 400);
    assert.match(((await plain.json()) as { error_description: string }).error_description, /^password: /);

    const right = await step.login('wonderland');
    assert.equal(right.status, 200);
    const ok = (await right.json()) as { redirectTo: string; verified: { account: string } };
    assert.equal(ok.verified.account, 'alice');
    assert.equal(ok.redirectTo, `${s.urls.issuer}/auth/${step.uid}`);
  });

  it('refuses a captured login body sent again, and a password JWE made for another login', async () => {
    const step = await startSignIn(s.urls);
    const loginUrl = `${s.urls.issuer}/interaction/${step.uid}/login`;
    const { keys } = (await (await fetch(`${s.urls.issuer}/pop-keys.json`)).json()) as { keys: JWK[] };
    const body = JSON.stringify({ username: 'alice', password: await secretJwe(keys[0] as JWK, 'alice123', loginUrl) });
    const post = () => step.browser.fetch(loginUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal((await post()).status, 401, 'decrypted: the password is just wrong');
    const replayed = await post();
    assert.equal(replayed.status, 400);
    assert.match(((await replayed.json()) as { error_description: string }).error_description, /already used/);

    const other = await startSignIn(s.urls);
    const elsewhere = await step.browser.fetch(loginUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: await secretJwe(keys[0] as JWK, 'wonderland', `${s.urls.issuer}/interaction/${other.uid}/login`) }),
    });
    assert.equal(elsewhere.status, 400);
    assert.match(((await elsewhere.json()) as { error_description: string }).error_description, /another endpoint/);
  });

  it('refuses an authorization request for a resource it does not know', async () => {
    const step = startSignIn({ ...s.urls, bankResource: 'https://elsewhere.example/api' });
    await assert.rejects(step, /invalid_target/);
  });

  it('serves /api/accounts to a ClientJWT with a report of its checks, refuses the replay; /api/pin decrypts the PIN', async () => {
    const { access_token: accessToken } = await signIn(s.urls);
    const bankJwk = decodeJwt(accessToken)['res_pub_key'] as JWK;
    const key = newHmacKey();
    const url = `${s.urls.publicOrigin}/api/accounts`;
    const first = await clientJwt({ key, accessToken, method: 'GET', url, serverJwk: bankJwk, nonce: 42 });
    const ok = await fetch(url, { headers: { authorization: `Bearer ${first}` } });
    assert.equal(ok.status, 200);
    const accounts = (await ok.json()) as { owner: string; accounts: unknown[]; verified: { clientJwt: Record<string, unknown>; accessToken: Record<string, unknown>; checks: string[] } };
    assert.equal(accounts.owner, 'alice');
    assert.equal(accounts.accounts.length, 2);
    assert.deepEqual(
      { kid: accounts.verified.clientJwt['kid'], registeredKey: accounts.verified.clientJwt['registeredKey'], nonce: accounts.verified.clientJwt['nonce'], htu: accounts.verified.clientJwt['htu'] },
      { kid: key.kid, registeredKey: true, nonce: 42, htu: url },
    );
    assert.equal(accounts.verified.accessToken['sub'], 'alice');
    assert.equal(accounts.verified.accessToken['aud'], s.urls.bankResource);
    assert.equal(accounts.verified.checks.length, 8);

    const replay = await fetch(url, { headers: { authorization: `Bearer ${first}` } });
    assert.equal(replay.status, 401);
    assert.match(replay.headers.get('www-authenticate') ?? '', /error="replayed_nonce"/);

    const pinUrl = `${s.urls.publicOrigin}/api/pin`;
    const sentPin = await secretJwe(bankJwk, '4711', pinUrl);
    const pin = await fetch(pinUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${await clientJwt({ key, accessToken, method: 'POST', url: pinUrl })}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pin: sentPin }),
    });
    assert.equal(pin.status, 200);
    const answer = (await pin.json()) as { pin: string; verified: { clientJwt: { registeredKey: boolean }; decrypted: { audience: string; ageSeconds: number; jwe: { kid: string; jti: string }; checks: string[] } } };
    assert.equal(answer.pin, '4711');
    assert.equal(answer.verified.clientJwt.registeredKey, false);
    assert.equal(answer.verified.decrypted.audience, pinUrl);
    assert.equal(answer.verified.decrypted.jwe.kid, bankJwk.kid);
    assert.ok(answer.verified.decrypted.ageSeconds >= 0 && answer.verified.decrypted.ageSeconds < 5, 'age by the bank\'s clock');
    assert.deepEqual(
      answer.verified.decrypted.checks.map((check) => check.split(' ').slice(0, 2).join(' ')),
      ['aud is', `iat ${decodeProtectedHeader(sentPin).iat}`, `jti ${answer.verified.decrypted.jwe.jti}`, "decrypted with"],
      'the four checks decryptCredential ran: aud, iat, jti, decryption',
    );

    // The same PIN body again (a replay from a proxy log), and a PIN JWE made for another endpoint.
    for (const [pinJwe, reason] of [[sentPin, /already used/], [await secretJwe(bankJwk, '4711', `${s.urls.publicOrigin}/api/transfers`), /another endpoint/]] as const) {
      const refused = await fetch(pinUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${await clientJwt({ key, accessToken, method: 'POST', url: pinUrl })}`, 'content-type': 'application/json' },
        body: JSON.stringify({ pin: pinJwe }),
      });
      assert.equal(refused.status, 400);
      assert.match(((await refused.json()) as { error_description: string }).error_description, reason);
    }
  });

  it('refuses the bare access token, a PIN in plaintext, and an access token the provider did not sign', async () => {
    const { access_token: accessToken } = await signIn(s.urls);
    const bankJwk = s.bankKeys.jwks().keys[0] as JWK;
    const url = `${s.urls.publicOrigin}/api/accounts`;
    const bare = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(bare.status, 401);
    assert.match(bare.headers.get('www-authenticate') ?? '', /error="invalid_token"/);

    const pinUrl = `${s.urls.publicOrigin}/api/pin`;
    const plain = await fetch(pinUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${await clientJwt({ key: newHmacKey(), accessToken, method: 'POST', url: pinUrl, serverJwk: bankJwk })}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pin: '4711' }),
    });
    assert.equal(plain.status, 400);

    const [h, p] = accessToken.split('.');
    const forged = `${h}.${p}.${'A'.repeat(86)}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${await clientJwt({ key: newHmacKey(), accessToken: forged, method: 'GET', url, serverJwk: bankJwk })}` } });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });
  it('confirms a transfer with a PIN made for /api/transfers; refuses there a PIN made for /api/pin, and a malformed transfer', async () => {
    const { access_token: accessToken } = await signIn(s.urls);
    const bankJwk = decodeJwt(accessToken)['res_pub_key'] as JWK;
    const key = newHmacKey();
    const transfersUrl = `${s.urls.publicOrigin}/api/transfers`;
    const transfer = async (body: unknown) => {
      // Each request carries hmac_key: the same key again is the registration in force.
      const authorization = `Bearer ${await clientJwt({ key, accessToken, method: 'POST', url: transfersUrl, serverJwk: bankJwk })}`;
      const response = await fetch(transfersUrl, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error_description?: string } };
    };
    const to = 'CH56-0483-5012-3456-7800-9';
    const pin = await secretJwe(bankJwk, '4711', transfersUrl);

    // Refused before the PIN is opened: the PIN's JWE is not spent by a malformed transfer.
    for (const body of [{ to, pin }, { to: 'nowhere', amount: 5, pin }, { to, amount: -5, pin }, { to, amount: 2_000_000, pin }]) {
      const refused = await transfer(body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.match(refused.body.error_description ?? '', /^a transfer needs/);
    }
    const confirmed = await transfer({ to, amount: 25, pin });
    assert.equal(confirmed.status, 200);
    assert.deepEqual(confirmed.body['transfer'], { to, amount: 25, currency: 'CHF', status: 'confirmed' });
    assert.equal((confirmed.body['verified'] as { decrypted: { audience: string } }).decrypted.audience, transfersUrl);
    assert.equal(confirmed.body['pin'], undefined, 'a transfer does not echo the PIN');

    const madeForPin = await transfer({ to, amount: 25, pin: await secretJwe(bankJwk, '4711', `${s.urls.publicOrigin}/api/pin`) });
    assert.equal(madeForPin.status, 400);
    assert.equal(madeForPin.body.error_description, 'pin: this encrypted value is meant for another endpoint');
  });
});

describe('showcase backend: its own clock (now)', () => {
  const AHEAD_MS = 15 * 60_000;
  const clock = () => Date.now() + AHEAD_MS;
  let s: Awaited<ReturnType<typeof start>>;
  before(async () => (s = await start({ now: clock })));
  after(() => s.close());

  it('dates every answer by it (pop-lib learns its clock offset from Date)', async () => {
    for (const url of [`${s.urls.issuer}/.well-known/openid-configuration`, `${s.urls.issuer}/pop-keys.json`, `${s.urls.publicOrigin}/api/pop-keys.json`]) {
      const date = Date.parse((await fetch(url)).headers.get('date') ?? '');
      assert.ok(Math.abs(date - clock()) < 2000, `${url}: Date ${new Date(date).toISOString()}`);
    }
  });

  it('checks passwords, PINs and ClientJWTs against it, not against the system clock', async () => {
    const systemIat = { iat: Math.floor(Date.now() / 1000) };
    const systemClockLogin = await startSignIn(s.urls, { now: Date.now });
    const systemPassword = await systemClockLogin.login('wonderland');
    assert.equal(systemPassword.status, 400);
    assert.equal(((await systemPassword.json()) as { error_description: string }).error_description, 'password: the encrypted value is too old (iat): encrypt it again');

    const { access_token: accessToken } = await signIn(s.urls, { now: clock });
    const bankJwk = decodeJwt(accessToken)['res_pub_key'] as JWK;
    const key = newHmacKey();
    const pinUrl = `${s.urls.publicOrigin}/api/pin`;
    const postPin = async (timestampMs: number, pin: string) =>
      fetch(pinUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${await clientJwt({ key, accessToken, method: 'POST', url: pinUrl, serverJwk: bankJwk, timestampMs })}`, 'content-type': 'application/json' },
        body: JSON.stringify({ pin }),
      });
    const systemTime = await postPin(Date.now(), await secretJwe(bankJwk, '4711', pinUrl, { iat: Math.floor(clock() / 1000) }));
    assert.equal(systemTime.status, 401, 'a ClientJWT stamped by the system clock has expired by the bank\'s');
    assert.match(systemTime.headers.get('www-authenticate') ?? '', /error="invalid_token"/);

    const systemPin = await postPin(clock(), await secretJwe(bankJwk, '4711', pinUrl, systemIat));
    assert.equal(systemPin.status, 400);
    assert.equal(((await systemPin.json()) as { error_description: string }).error_description, 'pin: the encrypted value is too old (iat): encrypt it again');

    const onTime = await postPin(clock(), await secretJwe(bankJwk, '4711', pinUrl, { iat: Math.floor(clock() / 1000) }));
    assert.equal(onTime.status, 200);
    // Whole seconds by the backend's clock: 0, or 1 when a second boundary passed since iat (by the system clock it would be 900).
    const { ageSeconds } = ((await onTime.json()) as { verified: { decrypted: { ageSeconds: number } } }).verified.decrypted;
    assert.ok(ageSeconds === 0 || ageSeconds === 1, `ageSeconds ${ageSeconds}`);
  });
});

describe('showcase backend: cnf.jku key hint, static files', () => {
  let s: Awaited<ReturnType<typeof start>>;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'showcase-static-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>showcase</title>');
    s = await start({ keyHint: 'cnf.jku', staticDir: dir });
  });
  after(() => {
    s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the bank key by cnf.jku (the bank JWKS on the public origin) and kid', async () => {
    const { access_token: accessToken } = await signIn(s.urls);
    const claims = decodeJwt(accessToken);
    assert.equal(claims['res_pub_key'], undefined);
    const cnf = claims['cnf'] as { jku: string; kid: string };
    assert.equal(cnf.jku, `${s.urls.publicOrigin}/api/pop-keys.json`);
    const jwks = (await (await fetch(cnf.jku)).json()) as { keys: JWK[] };
    assert.equal(jwks.keys[0]?.kid, cnf.kid);
  });

  it('serves index.html for app routes and JSON 404 under /api', async () => {
    for (const route of ['/pin', '/sign-in/abc', '/callback?code=x']) {
      const page = await fetch(`${s.urls.publicOrigin}${route}`);
      assert.equal(page.status, 200, route);
      assert.match(await page.text(), /<title>showcase<\/title>/);
    }
    const missing = await fetch(`${s.urls.publicOrigin}/api/nothing`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: 'not_found' });
  });
});
