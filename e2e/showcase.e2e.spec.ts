/**
 * End to end in a real browser: the built showcase, served with its backend (node-oidc-provider
 * at /idp, the pop-server bank at /api) on one loopback origin, driven in Debian's Chromium
 * through Playwright. Signs in with angular-auth-oidc-client (code flow + PKCE) and an encrypted
 * password, sends an encrypted PIN, calls the API, reloads, opens a second tab. Every claim is
 * checked on what went over the wire, and attacked with what a proxy logged: by the page's
 * attack buttons and by the test itself, as an attacker on another machine (support/attacker.ts).
 * Screenshots of every page go to test-results/screenshots/showcase/ (git-ignored).
 * Run by `npm run test:e2e`, which builds the showcase first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SECRET_JTI_PATTERN, TOKEN_BOUND_TO_ANOTHER_KEY } from '../projects/pop-server/src/protocol.ts';
import { DEMO_USER } from '../projects/showcase-server/src/idp/accounts.ts';
import { signIn } from '../projects/showcase-server/src/testing/code-flow.ts';
import { Attacker, resend, type Answer } from './support/attacker.ts';
import { navigateTo, waitForStatus, waitForText } from './support/pages.ts';
import { launchChromium, openPage, Screenshots, startShowcase, type RunningShowcase } from './support/showcase.ts';
import { bodyMember, clientJwtOf, WireLog, type SentRequest } from './support/wire.ts';

const COMPACT_JWE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const CLIENT_JWT_HEADER = /^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Eight digits: no base64url string in the traffic contains them by chance (one in 2^48 per position). */
const PIN = '47110815';
const LOGIN_PATH = /^\/idp\/interaction\/[\w-]+\/login$/;
const BAD_PASSWORD = 'alice123';

/**
 * A secret field's JWE as the browser sent it: what the proxy reads in its header. `aud` is
 * the endpoint, `kid` the receiving server's key, a 128-bit `jti`, and an `iat` from the run.
 */
function assertSecretHeader(jwe: unknown, expected: { aud: string; kid: string | undefined; notBefore: number }): { iat: number; jti: string } {
  assert.match(String(jwe), COMPACT_JWE);
  const header = decodeProtectedHeader(String(jwe));
  assert.equal(header.aud, expected.aud);
  assert.equal(header.kid, expected.kid);
  assert.equal(header.enc, 'A256GCM');
  assert.match(String(header.jti), SECRET_JTI_PATTERN);
  const iat = Number(header.iat);
  assert.ok(Number.isSafeInteger(iat) && iat >= Math.floor(expected.notBefore / 1000) && iat <= Date.now() / 1000, `iat ${iat} is from this run`);
  return { iat, jti: String(header.jti) };
}

describe('showcase in Chromium: oidc-provider, angular-auth-oidc-client, pop-lib and pop-server', () => {
  const started = Date.now();
  let showcase: RunningShowcase;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let wire: WireLog;
  const pageErrors: string[] = [];
  const shots = new Screenshots('showcase');

  // What the run learns on the way, for the steps after.
  let loginUid = '';
  /** The logged login (the right password) sent again by the proxy while the sign-in was open. */
  let loginReplay: Answer | null = null;
  let pinRequest: SentRequest;
  /** The HMAC key's kid, as the PIN request registered it. */
  let kid = '';
  let apiCall: SentRequest;

  before(async () => {
    showcase = await startShowcase();
    origin = showcase.origin;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    wire = new WireLog(context);
    page = await openPage(context, pageErrors);
  });

  after(async () => {
    await browser?.close();
    await showcase?.close();
  });

  const byTestId = (id: string) => page.getByTestId(id);
  /** The requests of the browser to the bank that carried a bearer token, after `mark`. */
  const signedSince = (mark: number) => wire.since(mark, /^\/api\//).filter((r) => r.headers['authorization']);

  it('signs in with the code flow and PKCE against oidc-provider; a wrong password leaves the form honest', async () => {
    await page.goto(origin);
    await shots.take(page, 'overview');
    await byTestId('overview-start').click();
    await page.waitForURL(/\/sign-in$/);
    await shots.take(page, 'sign-in');
    await byTestId('sign-in-start').click();

    // angular-auth-oidc-client -> /idp/auth -> /idp/interaction/{uid} -> the showcase's login route.
    await page.waitForURL(/\/sign-in\/[\w-]+$/);
    loginUid = new URL(page.url()).pathname.split('/').pop() ?? '';
    await waitForText(page, 'login-client', 'pop-lib showcase');
    const [authorize] = wire.since(0, '/idp/auth');
    assert.ok(authorize, 'the browser went to the authorization endpoint');
    const params = new URL(authorize.url).searchParams;
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.equal(params.get('resource'), `${origin}/api`);

    await byTestId('login-password').pressSequentially(BAD_PASSWORD);
    await waitForStatus(page, 'login-status', 'VALID');
    assert.match(JSON.parse(await byTestId('login-preview').innerText()).password, COMPACT_JWE);
    await shots.take(page, 'provider-login');
    await byTestId('login-submit').click();

    // Refused: the provider decrypted the password and it did not match. The form does not keep the JWE.
    await waitForText(page, 'login-failure', 'Wrong username or password');
    await waitForText(page, 'login-status', 'INVALID');
    assert.equal(JSON.parse(await byTestId('login-preview').innerText()).password, null);
    assert.equal(await byTestId('login-password').inputValue(), '');
    assert.ok(await byTestId('login-submit').isDisabled());
    await shots.take(page, 'provider-login-refused');

    // The right password. The test sits where a TLS-terminating proxy does: it forwards the
    // login, and before it hands the answer back (the sign-in is still open, its interaction
    // cookie valid) it sends the request it logged once more.
    await page.route(
      (url) => LOGIN_PATH.test(url.pathname),
      async (route) => {
        const request = route.request();
        const answer = await route.fetch();
        const cookie = (await context.cookies(request.url())).map((c) => `${c.name}=${c.value}`).join('; ');
        loginReplay = await resend({ method: request.method(), url: request.url(), body: request.postData() }, { 'content-type': 'application/json', cookie });
        await route.fulfill({ response: answer });
      },
      { times: 1 },
    );
    await byTestId('login-password').pressSequentially(DEMO_USER.password);
    await waitForStatus(page, 'login-status', 'VALID');
    await byTestId('login-submit').click();

    // Back through the provider to /callback; the library exchanged the code for a bank token.
    await page.waitForURL(/\/sign-in$/);
    await waitForText(page, 'signed-in-subject', DEMO_USER.username);
    await waitForText(page, 'key-hint', 'res_pub_key');
    const claims = JSON.parse((await byTestId('access-token-claims').textContent()) ?? '{}') as Record<string, unknown>;
    assert.equal(claims['iss'], `${origin}/idp`);
    assert.equal(claims['aud'], `${origin}/api`);
    const [token] = wire.since(0, '/idp/token', 'POST');
    assert.ok(token?.body, 'the code was exchanged at the token endpoint');
    const form = new URLSearchParams(token.body);
    assert.equal(form.get('grant_type'), 'authorization_code');
    assert.ok(form.get('code_verifier'), 'with the PKCE code verifier');
    assert.equal(form.get('resource'), `${origin}/api`);
    await shots.take(page, 'signed-in');
  });

  it('sent each password as a JWE with iat, jti and aud for this login (the provider checked them), never in plaintext', async () => {
    const logins = wire.since(0, LOGIN_PATH, 'POST');
    assert.equal(logins.length, 2, 'the wrong and the right attempt');
    const passwordKid = showcase.passwordKeys.keys[0]?.kid;
    const headers = logins.map((login) => {
      assert.equal(bodyMember(login, 'username'), DEMO_USER.username);
      return assertSecretHeader(bodyMember(login, 'password'), { aud: `${origin}/idp/interaction/${loginUid}/login`, kid: passwordKid, notBefore: started });
    });
    assert.notEqual(headers[0]?.jti, headers[1]?.jti, 'each attempt is a new JWE');
    assert.deepEqual(
      logins.map((l) => l.status),
      [401, 200],
    );
    wire.assertNowhere(DEMO_USER.password, 'the password');
    wire.assertNowhere(BAD_PASSWORD, 'the wrong password');

    // The page shows the provider's checks beside what the proxy logged.
    await navigateTo(page, 'Sign in');
    const login = page.getByTestId('exchange').filter({ hasText: 'POST /idp/interaction/' });
    await waitForText(login, 'exchange-checks', `jti ${headers[1]?.jti} never seen before`);
    await waitForText(login, 'exchange-checks', `aud is this endpoint (${origin}/idp/interaction/${loginUid}/login)`);
    // Under "Decode the header": the parameters the proxy reads in the clear.
    const loggedHeader = JSON.parse((await login.getByTestId('exchange-secret-header').textContent()) ?? '{}') as Record<string, unknown>;
    assert.deepEqual([loggedHeader['iat'], loggedHeader['jti'], loggedHeader['aud']], [headers[1]?.iat, headers[1]?.jti, `${origin}/idp/interaction/${loginUid}/login`]);
  });

  it('refuses the logged login sent again while the sign-in was still open: the password JWE is single-use', () => {
    assert.ok(loginReplay, 'the proxy replayed the login');
    // Same endpoint, same interaction cookie, a fresh iat: only the used jti can refuse it.
    assert.equal(loginReplay.status, 400);
    assert.equal(loginReplay.description, 'password: this encrypted value was already used');
  });

  it('sends a PIN as a JWE the bank decrypts; this first signed request carries hmac_key and registers the key', async () => {
    // In-app navigation, as a user clicks (the PIN page keeps the session's log in view).
    await navigateTo(page, 'Banking PIN');
    const mark = wire.mark();
    await byTestId('pin-input').pressSequentially(PIN);
    await waitForStatus(page, 'pin-status', 'VALID');
    await byTestId('pin-submit').click();
    const exchange = byTestId('pin-exchange');
    await waitForText(exchange, 'exchange-secret', PIN);
    await waitForText(exchange, 'exchange-status', '200');
    await exchange.getByTestId('exchange-hmac-key').waitFor();
    await waitForText(exchange, 'exchange-checks', 'registered for this access token');

    const [request, ...more] = wire.since(mark, '/api/pin', 'POST');
    assert.ok(request?.body);
    assert.equal(more.length, 0, 'one request');
    pinRequest = request;
    const { jti } = assertSecretHeader(bodyMember(request, 'pin'), { aud: `${origin}/api/pin`, kid: showcase.bankKeys.keys[0]?.kid, notBefore: started });
    assert.match(request.headers['authorization'] ?? '', CLIENT_JWT_HEADER);
    const clientJwt = clientJwtOf(request);
    assert.equal(typeof clientJwt.payload['hmac_key'], 'string', 'the first request carries the HMAC key');
    kid = String(clientJwt.header['kid']);
    wire.assertNowhere(PIN, 'the PIN');

    // The page's "proxy log" is what went over the wire, and beside it what the bank checked.
    const logged = await exchange.getByTestId('exchange-wire').innerText();
    assert.ok(logged.startsWith('POST /api/pin HTTP/1.1'));
    assert.ok(logged.includes(`Authorization: ${request.headers['authorization']}`));
    assert.ok(logged.endsWith(request.body));
    await waitForText(exchange, 'exchange-checks', `jti ${jti} never seen before`);
    await waitForText(exchange, 'exchange-checks', `aud is this endpoint (${origin}/api/pin)`);
    await shots.take(page, 'pin');
  });

  it('refuses the logged PIN sent again as logged (nonce), in a new signed request (jti), and at another endpoint (aud)', async () => {
    const exchange = byTestId('pin-exchange');
    await exchange.getByTestId('attack-replay').click();
    const replay = exchange.getByTestId('attack-outcome-replay');
    await waitForText(replay, 'attack-status', '401');
    assert.match(await replay.getByTestId('attack-challenge').innerText(), /error="replayed_nonce"/);

    // The attacker has a bank session of its own (the demo has one user: another sign-in as
    // alice, its own token and HMAC key), so its requests pass the ClientJWT checks and only
    // the PIN's JWE is judged.
    const own = await signIn(showcase.urls);
    const attacker = await Attacker.against(origin);
    const loggedPin = String(bodyMember(pinRequest, 'pin'));
    const pinUrl = `${origin}/api/pin`;
    const transfersUrl = `${origin}/api/transfers`;
    const transfer = (pin: string) => JSON.stringify({ to: 'CH56-0483-5012-3456-7800-9', amount: 100, pin });

    const reused = await attacker.send('POST', pinUrl, own.access_token, { body: pinRequest.body ?? '' });
    assert.equal(reused.status, 400);
    assert.equal(reused.description, 'pin: this encrypted value was already used');
    const elsewhere = await attacker.send('POST', transfersUrl, own.access_token, { body: transfer(loggedPin) });
    assert.equal(elsewhere.status, 400);
    assert.equal(elsewhere.description, 'pin: this encrypted value is meant for another endpoint');

    // The same requests with PINs of the attacker's own, made for each endpoint, are accepted:
    // nothing but the logged JWE's jti and aud refused the two above.
    assert.equal((await attacker.send('POST', pinUrl, own.access_token, { body: JSON.stringify({ pin: await attacker.secret('1234', pinUrl) }) })).status, 200);
    assert.equal((await attacker.send('POST', transfersUrl, own.access_token, { body: transfer(await attacker.secret('1234', transfersUrl)) })).status, 200);
    await shots.take(page, 'pin-replayed');
  });

  it('calls the API (200) with the same HMAC key, without hmac_key, and refuses the replay and the stolen token', async () => {
    await navigateTo(page, 'Protected API');
    await waitForText(page, 'key-registration-entry', /registered by request #\d+, POST \/api\/pin/);
    const mark = wire.mark();
    await byTestId('api-call').click();
    const exchange = byTestId('api-exchange');
    await waitForText(exchange, 'exchange-status', '200');
    await byTestId('api-accounts').waitFor();
    assert.equal(await exchange.getByTestId('exchange-hmac-key').count(), 0, 'the key is registered: only its kid goes along');
    const [call] = wire.since(mark, '/api/accounts');
    assert.ok(call);
    apiCall = call;
    assert.equal(clientJwtOf(call).header['kid'], kid);
    assert.equal(clientJwtOf(call).payload['hmac_key'], undefined);

    await exchange.getByTestId('attack-replay').click();
    const replay = exchange.getByTestId('attack-outcome-replay');
    await waitForText(replay, 'attack-status', '401');
    assert.match(await replay.getByTestId('attack-challenge').innerText(), /error="replayed_nonce"/);
    const replayed = wire.since(mark, '/api/accounts').at(-1);
    assert.equal(replayed?.headers['authorization'], call.headers['authorization'], 'the replay sent the logged ClientJWT unchanged');

    await exchange.getByTestId('attack-steal').click();
    const bare = exchange.getByTestId('attack-outcome-stolen-bare');
    await waitForText(bare, 'attack-status', '401');
    assert.match(await bare.getByTestId('attack-challenge').innerText(), /error="invalid_token"/);
    // The page's own attacker: the token under a fresh HMAC key, registered with the bank.
    const freshKey = exchange.getByTestId('attack-outcome-stolen-fresh-key');
    await waitForText(freshKey, 'attack-status', '401 Unauthorized');
    assert.equal(await freshKey.getByTestId('attack-challenge').innerText(), `WWW-Authenticate: Bearer error="invalid_token", error_description="${TOKEN_BOUND_TO_ANOTHER_KEY}"`);

    assert.ok((await byTestId('session-log').locator('tbody tr').count()) >= 2, 'the PIN request and this call are listed');
    await shots.take(page, 'api-call');
  });

  it('refuses the access token taken out of a logged ClientJWT, under a key the attacker registers, and with the logged hmac_key', async () => {
    const logged = clientJwtOf(apiCall);
    const stolen = String(logged.payload['access_token']);
    const url = `${origin}/api/accounts`;

    const bare = await resend({ method: 'GET', url, body: null }, { authorization: `Bearer ${stolen}` });
    assert.equal(bare.status, 401);
    assert.match(bare.challenge ?? '', /^Bearer error="invalid_token"/);

    // Its own HMAC key, encrypted to the bank's published key: a well-formed registration.
    const attacker = await Attacker.against(origin);
    const ownKey = await attacker.send('GET', url, stolen);
    assert.equal(ownKey.status, 401);
    assert.equal(ownKey.challenge, `Bearer error="invalid_token", error_description="${TOKEN_BOUND_TO_ANOTHER_KEY}"`);

    // The victim's kid and hmac_key from the log: the attacker cannot sign with a key it cannot open.
    const registration = clientJwtOf(pinRequest);
    const posing = await attacker.send('GET', url, stolen, { posingAs: { kid, hmacKeyJwe: String(registration.payload['hmac_key']) } });
    assert.equal(posing.status, 401);
    assert.match(posing.challenge ?? '', /^Bearer error="invalid_token"/);
  });

  it('after a reload, signs with the same key from IndexedDB: same kid, no hmac_key, no new registration, 200', async () => {
    const mark = wire.mark();
    await page.reload();
    await waitForText(page, 'session-chip', DEMO_USER.username);
    await waitForText(page, 'key-registration-entry', /POST \/api\/pin/);
    await byTestId('api-call').click();
    const exchange = byTestId('api-exchange');
    await waitForText(exchange, 'exchange-status', '200');

    const [first, ...others] = signedSince(mark);
    assert.equal(others.length, 0, 'one signed request since the reload');
    assert.equal(first?.path, '/api/accounts');
    const clientJwt = clientJwtOf(first);
    assert.equal(clientJwt.header['kid'], kid, 'the key registered before the reload');
    assert.equal(clientJwt.payload['hmac_key'], undefined, 'known to be registered: the flag was kept with the key');
    await waitForText(exchange, 'exchange-checks', `HMAC key ${kid} found among the keys registered earlier`);
    await shots.take(page, 'api-after-reload');
  });

  it('in a second tab of the same browser, signs with the same key: same kid, no hmac_key, 200', async () => {
    const mark = wire.mark();
    const tab = await openPage(context, pageErrors);
    await tab.goto(`${origin}/api-call`);
    await waitForText(tab, 'session-chip', DEMO_USER.username);
    await tab.getByTestId('api-call').click();
    const exchange = tab.getByTestId('api-exchange');
    await waitForText(exchange, 'exchange-status', '200');

    const [first, ...others] = signedSince(mark);
    assert.equal(others.length, 0, 'one signed request from the new tab');
    const clientJwt = clientJwtOf(first as SentRequest);
    assert.equal(clientJwt.header['kid'], kid, 'the key of the first tab, shared through IndexedDB');
    assert.equal(clientJwt.payload['hmac_key'], undefined);
    await waitForText(exchange, 'exchange-checks', `HMAC key ${kid} found among the keys registered earlier`);
    await waitForText(tab, 'key-registration-entry', 'by another tab');
    await shots.take(tab, 'api-second-tab');
    await tab.close();
  });

  it('had the bank accept this session under one HMAC key, registered once; every other key was refused', () => {
    const bankRequests = signedSince(0);
    const accepted = bankRequests.filter((r) => r.status >= 200 && r.status < 300).map(clientJwtOf);
    assert.ok(accepted.length >= 4, 'the PIN and three API calls');
    assert.deepEqual([...new Set(accepted.map((c) => c.header['kid']))], [kid]);
    assert.equal(accepted.filter((c) => c.payload['hmac_key'] !== undefined).length, 1, 'one registration: the PIN request');
    for (const refused of bankRequests.filter((r) => r.status < 200 || r.status >= 300)) {
      assert.equal(refused.status, 401, `${refused.method} ${refused.path}: the page's attacks only`);
    }
  });

  it('lays the pages out on a phone, and raised no uncaught error', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate('window.scrollTo(0, 0)');
    await shots.take(page, 'api-phone', { fullPage: false });
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the pages');
  });
});
