/**
 * End to end in a real browser: the built showcase, served with its backend (node-oidc-provider
 * at /idp, the pop-server bank at /api) on one loopback origin, driven in Debian's Chromium
 * through Playwright. Signs in with angular-auth-oidc-client (code flow + PKCE) and an encrypted
 * password, sends an encrypted PIN, calls the API, attacks it with what a proxy would have
 * logged, and reloads. Screenshots of every page go to test-results/screenshots/ (git-ignored).
 * Run by `npm run test:e2e`, which builds the showcase first.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { createShowcase } from '../projects/showcase-server/src/app.ts';
import CHROMIUM_FLAGS from '../scripts/chromium-flags.json' with { type: 'json' };

const COMPACT_JWE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const CLIENT_JWT_HEADER = /^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const PASSWORD = 'wonderland';
const PIN = '4711';
const TIMEOUT = 15_000;
const SCREENSHOTS = 'test-results/screenshots';

/**
 * The "stolen token under a fresh key" attempt: pop-server binds each access token to the
 * first HMAC key registered with it (docs/protocol.md section 4), so the attacker's own key
 * is refused with the bound-token answer.
 */
async function assertStolenTokenUnderFreshKey(outcome: Locator): Promise<void> {
  assert.equal(await outcome.getByTestId('attack-status').innerText(), '401 Unauthorized');
  assert.match(await outcome.getByTestId('attack-challenge').innerText(), /error="invalid_token"/);
  assert.match(await outcome.getByTestId('attack-challenge').innerText(), /access_token is bound to another HMAC key/);
}

interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

describe('showcase in Chromium: oidc-provider, angular-auth-oidc-client, pop-lib and pop-server', () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  let page: Page;
  /** Every request the browser sent, with its headers and body. */
  const sent: SentRequest[] = [];
  const pageErrors: string[] = [];
  let shot = 0;

  before(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { app } = await createShowcase({ publicOrigin: origin, staticDir: 'dist/showcase/browser' });
    server.on('request', app);

    rmSync(SCREENSHOTS, { recursive: true, force: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: process.env['CHROME_BIN'] ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS, timeout: TIMEOUT });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(TIMEOUT);
    page.on('request', (request) => {
      sent.push({ method: request.method(), url: request.url(), headers: request.headers(), body: request.postData() });
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  const byTestId = (id: string) => page.getByTestId(id);

  /** Waits until the element with `testId` (within `scope`) contains `text`. */
  async function waitForText(testId: string, text: string | RegExp, scope: Page | Locator = page): Promise<void> {
    await scope.getByTestId(testId).filter({ hasText: text }).first().waitFor();
  }

  async function screenshot(name: string): Promise<void> {
    shot++;
    await page.screenshot({ path: `${SCREENSHOTS}/${String(shot).padStart(2, '0')}-${name}.png`, fullPage: true, animations: 'disabled' });
  }

  it('signs in with the code flow and PKCE against oidc-provider; a wrong password leaves the form honest', async () => {
    await page.goto(origin);
    await screenshot('overview');
    await byTestId('overview-start').click();
    await page.waitForURL(/\/sign-in$/);
    await screenshot('sign-in');
    await byTestId('sign-in-start').click();

    // angular-auth-oidc-client -> /idp/auth -> /idp/interaction/{uid} -> the showcase's login route.
    await page.waitForURL(/\/sign-in\/[\w-]+$/);
    await waitForText('login-client', 'pop-lib showcase');
    const authorize = sent.find((r) => new URL(r.url).pathname === '/idp/auth');
    assert.ok(authorize, 'the browser went to the authorization endpoint');
    const params = new URL(authorize.url).searchParams;
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.equal(params.get('resource'), `${origin}/api`);

    await byTestId('login-password').pressSequentially('alice123');
    await waitForText('login-status', 'VALID');
    assert.match(JSON.parse(await byTestId('login-preview').innerText()).password, COMPACT_JWE);
    await screenshot('provider-login');
    await byTestId('login-submit').click();

    // Refused: the provider decrypted the password and it did not match. The form does not keep the JWE.
    await waitForText('login-failure', 'Wrong username or password');
    await waitForText('login-status', 'INVALID');
    assert.equal(JSON.parse(await byTestId('login-preview').innerText()).password, null);
    assert.equal(await byTestId('login-password').inputValue(), '');
    assert.ok(await byTestId('login-submit').isDisabled());
    await screenshot('provider-login-refused');

    await byTestId('login-password').pressSequentially(PASSWORD);
    await waitForText('login-status', 'VALID');
    await byTestId('login-submit').click();

    // Back through the provider to /callback; the library exchanged the code for a bank token.
    await page.waitForURL(/\/sign-in$/);
    await waitForText('signed-in-subject', 'alice');
    await waitForText('key-hint', 'res_pub_key');
    const claims = JSON.parse((await byTestId('access-token-claims').textContent()) ?? '{}') as Record<string, unknown>;
    assert.equal(claims['iss'], `${origin}/idp`);
    assert.equal(claims['aud'], `${origin}/api`);
    const token = sent.find((r) => r.url === `${origin}/idp/token`);
    assert.ok(token?.body, 'the code was exchanged at the token endpoint');
    const form = new URLSearchParams(token.body);
    assert.equal(form.get('grant_type'), 'authorization_code');
    assert.ok(form.get('code_verifier'), 'with the PKCE code verifier');
    assert.equal(form.get('resource'), `${origin}/api`);
    await screenshot('signed-in');
  });

  it('sent the password only as a JWE: it is in no request the browser made', () => {
    const logins = sent.filter((r) => /\/idp\/interaction\/[\w-]+\/login$/.test(new URL(r.url).pathname));
    assert.equal(logins.length, 2, 'the wrong and the right attempt');
    for (const login of logins) {
      const body = JSON.parse(login.body ?? '{}') as { username: string; password: string };
      assert.equal(body.username, 'alice');
      assert.match(body.password, COMPACT_JWE);
    }
    for (const request of sent) {
      const everything = `${request.url}\n${JSON.stringify(request.headers)}\n${request.body ?? ''}`;
      assert.ok(!everything.includes(PASSWORD), `${request.method} ${request.url} carried the password in plaintext`);
    }
  });

  it('sends a PIN as a JWE the bank decrypts; this first signed request carries hmac_key and registers the key', async () => {
    // In-app navigation, as a user clicks: a full page load would start a new HMAC key.
    await page.getByRole('navigation').getByRole('link', { name: 'Banking PIN' }).click();
    await byTestId('pin-input').pressSequentially(PIN);
    await waitForText('pin-status', 'VALID');
    await byTestId('pin-submit').click();
    const exchange = byTestId('pin-exchange');
    await waitForText('exchange-secret', PIN, exchange);
    await waitForText('exchange-status', '200', exchange);
    await exchange.getByTestId('exchange-hmac-key').waitFor();
    await waitForText('exchange-checks', 'registered for this access token', exchange);

    const request = sent.filter((r) => r.url === `${origin}/api/pin`).at(-1);
    assert.ok(request?.body);
    const body = JSON.parse(request.body) as { pin: string };
    assert.match(body.pin, COMPACT_JWE);
    assert.ok(!request.body.includes(PIN));
    assert.match(request.headers['authorization'] ?? '', CLIENT_JWT_HEADER);
    // The page's "proxy log" is what went over the wire.
    const wire = await exchange.getByTestId('exchange-wire').innerText();
    assert.ok(wire.startsWith('POST /api/pin HTTP/1.1'));
    assert.ok(wire.includes(`Authorization: ${request.headers['authorization']}`));
    assert.ok(wire.endsWith(request.body));
    await screenshot('pin');
  });

  it('calls the API (200), shows which request registered the key, and refuses the replay and the stolen token', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Protected API' }).click();
    await waitForText('key-registration-entry', /registered by request #\d+, POST \/api\/pin/);
    await byTestId('api-call').click();
    const exchange = byTestId('api-exchange');
    await waitForText('exchange-status', '200', exchange);
    await byTestId('api-accounts').waitFor();
    assert.equal(await exchange.getByTestId('exchange-hmac-key').count(), 0, 'the key is registered: only its kid goes along');
    const call = sent.filter((r) => r.url === `${origin}/api/accounts`).at(-1);
    assert.match(call?.headers['authorization'] ?? '', CLIENT_JWT_HEADER);

    await exchange.getByTestId('attack-replay').click();
    const replay = exchange.getByTestId('attack-outcome-replay');
    await waitForText('attack-status', '401', replay);
    assert.match(await replay.getByTestId('attack-challenge').innerText(), /error="replayed_nonce"/);
    const replayed = sent.filter((r) => r.url === `${origin}/api/accounts`).at(-1);
    assert.equal(replayed?.headers['authorization'], call?.headers['authorization'], 'the replay sent the logged ClientJWT unchanged');

    await exchange.getByTestId('attack-steal').click();
    const bare = exchange.getByTestId('attack-outcome-stolen-bare');
    await waitForText('attack-status', '401', bare);
    assert.match(await bare.getByTestId('attack-challenge').innerText(), /error="invalid_token"/);
    await assertStolenTokenUnderFreshKey(exchange.getByTestId('attack-outcome-stolen-fresh-key'));

    assert.ok((await byTestId('session-log').locator('tbody tr').count()) >= 2, 'the PIN request and this call are listed');
    await screenshot('api-call');
  });

  it('keeps working after a reload: still signed in, the API answers 200', async () => {
    await page.reload();
    await waitForText('session-chip', 'alice');
    await waitForText('key-registration-entry', /POST \/api\/pin/);
    await byTestId('api-call').click();
    await waitForText('exchange-status', '200', byTestId('api-exchange'));
    await screenshot('api-after-reload');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: `${SCREENSHOTS}/${String(++shot).padStart(2, '0')}-api-phone.png`, animations: 'disabled' });
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });
});
