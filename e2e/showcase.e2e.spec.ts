/**
 * End to end in a real browser: the built showcase, served by its backend on loopback, driven
 * in Debian's Chromium through Playwright. Log in with an encrypted password, send an
 * encrypted PIN the backend decrypts to the typed value, call the protected API through the
 * interceptor (200), then replay the captured request: 401 replayed_nonce.
 * Run by `npm run test:e2e`, which builds the showcase first.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createShowcase } from '../projects/showcase-server/src/app.ts';
import CHROMIUM_FLAGS from '../scripts/chromium-flags.json' with { type: 'json' };

const COMPACT_JWE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const TIMEOUT = 15_000;

describe('showcase in Chromium against pop-server', () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  let page: Page;

  before(async () => {
    const { app } = await createShowcase({ staticDir: 'dist/showcase/browser' });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: process.env['CHROME_BIN'] ?? '/usr/bin/chromium',
      args: CHROMIUM_FLAGS,
      timeout: TIMEOUT,
    });
    page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT);
  });

  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  const byTestId = (id: string) => page.getByTestId(id);

  it('logs in with a password the browser encrypted for the identity provider', async () => {
    await page.goto(`${origin}/login`);
    await byTestId('login-username').fill('alice');
    await byTestId('login-password').pressSequentially('wonderland');
    await waitForText('login-status', 'VALID');
    await byTestId('login-submit').click();
    await waitForText('login-result', 'Logged in as alice');

    const sent = JSON.parse(await byTestId('login-sent').innerText()) as { username: string; password: string };
    assert.equal(sent.username, 'alice');
    assert.match(sent.password, COMPACT_JWE);
    assert.ok(!JSON.stringify(sent).includes('wonderland'), 'the password left the browser in plaintext');
  });

  it('sends a PIN as a JWE that the backend decrypts to exactly the typed PIN', async () => {
    await page.goto(`${origin}/pin`);
    await byTestId('pin-input').pressSequentially('4711');
    await waitForText('pin-status', 'VALID');
    await byTestId('pin-submit').click();
    await waitForText('pin-result', '4711');

    const sent = JSON.parse(await byTestId('pin-sent').innerText()) as { pin: string };
    assert.match(sent.pin, COMPACT_JWE);
    assert.notEqual(sent.pin, '4711');
    assert.deepEqual(JSON.parse(await byTestId('pin-result').innerText()), { received: '4711' });
  });

  it('calls the protected API through the interceptor (200), and a replay of that request is refused', async () => {
    await page.goto(`${origin}/api-call`);
    const requestSeen = page.waitForRequest((request) => request.url().endsWith('/api/accounts'));
    await byTestId('api-call').click();
    const request = await requestSeen;
    await waitForText('api-status', '200');

    const headers = await request.allHeaders();
    const authorization = headers['authorization'] ?? '';
    assert.match(authorization, /^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const decoded = await byTestId('api-clientjwt').innerText();
    assert.match(decoded, /"typ": ?"client\+jwt"/);
    assert.match(decoded, /"htu": ?"http:\/\/127\.0\.0\.1:\d+\/api\/accounts"/);

    // An attacker who captured the request sends it again, byte for byte.
    const replay = await fetch(request.url(), { method: 'GET', headers: { authorization } });
    assert.equal(replay.status, 401);
    assert.match(replay.headers.get('www-authenticate') ?? '', /error="replayed_nonce"/);

    // The app itself keeps working: a new call carries a new nonce.
    await byTestId('api-call').click();
    await waitForText('api-status', '200');
  });

  /** Waits until the element with `testId` contains `text` (bounded by the page timeout). */
  async function waitForText(testId: string, text: string): Promise<void> {
    await byTestId(testId).filter({ hasText: text }).waitFor({ timeout: TIMEOUT });
  }
});
