/**
 * A secret field left open for 15 minutes, in Chromium against the showcase: the PIN is typed,
 * the user walks away, comes back and sends it. The bank accepts a secret's JWE for 600 s
 * after its `iat` (docs/protocol.md §2), so the JWE typed at first would be refused; `secureField`
 * re-encrypts the input before that (its refresh timer), and the form succeeds.
 *
 * Time is moved, not waited for: Playwright's clock runs the page's timers through 15 minutes
 * (`clock.runFor`), and the backend gets a clock of its own (`createShowcase({ now })`) set to
 * the page's, so the bank's checks and its `Date` header (from which pop-lib learns its clock
 * offset) agree with the browser. oidc-provider keeps the system clock: nothing here asks it
 * anything after the wait. Screenshots in test-results/screenshots/form-left-open/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEFAULT_SECRET_MAX_AGE_SECONDS } from '../projects/pop-server/src/protocol.ts';
import { signIn } from '../projects/showcase-server/src/testing/code-flow.ts';
import { Attacker } from './support/attacker.ts';
import { navigateTo, signInAsAlice, waitForStatus, waitForText } from './support/pages.ts';
import { launchChromium, openPage, Screenshots, startShowcase, type RunningShowcase } from './support/showcase.ts';
import { bodyMember, WireLog } from './support/wire.ts';

const PIN = '90817263';
const LEFT_OPEN_MS = 15 * 60_000;

describe('a PIN form left open 15 minutes still submits (secureField refreshes its JWE)', () => {
  /** How far the backend's clock is ahead of the system's: set to the page's after the wait. */
  let aheadMs = 0;
  const backendNow = () => Date.now() + aheadMs;
  let showcase: RunningShowcase;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let wire: WireLog;
  const pageErrors: string[] = [];
  const shots = new Screenshots('form-left-open');
  /** The PIN's JWE as the form held it before the wait (never sent). */
  let typedJwe = '';

  before(async () => {
    showcase = await startShowcase({ now: backendNow });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // From now on the page's Date and timers are Playwright's: they flow with real time until moved.
    await context.clock.install();
    wire = new WireLog(context);
    page = await openPage(context, pageErrors);
  });

  after(async () => {
    await browser?.close();
    await showcase?.close();
  });

  /** The form's value: the PIN's JWE, or null. */
  const formJwe = async () => (JSON.parse(await page.getByTestId('pin-preview').innerText()) as { pin: string | null }).pin;

  it('types a PIN: the form holds its JWE', async () => {
    await signInAsAlice(page, showcase.origin);
    await navigateTo(page, 'Banking PIN');
    await page.getByTestId('pin-input').pressSequentially(PIN);
    await waitForStatus(page, 'pin-status', 'VALID');
    typedJwe = (await formJwe()) ?? '';
    assert.equal(decodeProtectedHeader(typedJwe).aud, `${showcase.origin}/api/pin`);
    await shots.take(page, 'pin-typed');
  });

  it('15 minutes later (timers fire meanwhile) holds a new JWE, made within the last refresh period', async () => {
    await page.clock.runFor(LEFT_OPEN_MS);
    const pageNow = Number(await page.evaluate('Date.now()'));
    aheadMs = pageNow - Date.now();
    assert.ok(Math.abs(aheadMs - LEFT_OPEN_MS) < 5000, `the page's clock moved ${aheadMs} ms`);

    // Nothing is touched: no focus, no submit. The refresh timer alone replaces the JWE, and
    // the control is never VALID with a stale one: VALID again means a fresh JWE.
    const typed = decodeProtectedHeader(typedJwe);
    await page.getByTestId('pin-header').filter({ hasNotText: String(typed.jti) }).waitFor();
    await waitForStatus(page, 'pin-status', 'VALID');
    const refreshed = decodeProtectedHeader((await formJwe()) ?? '');
    assert.notEqual(refreshed.jti, typed.jti);
    const age = Math.floor(backendNow() / 1000) - Number(refreshed.iat);
    assert.ok(age >= 0 && age < DEFAULT_SECRET_MAX_AGE_SECONDS / 2, `the refreshed JWE is ${age} s old (the directive refreshes before half the server's maximum age)`);
    assert.ok(Number(refreshed.iat) - Number(typed.iat) >= DEFAULT_SECRET_MAX_AGE_SECONDS, 'made after the typed JWE had become too old');
    await shots.take(page, 'pin-after-15-minutes');
  });

  it('sends the refreshed JWE: the bank accepts it as fresh, and the plaintext went nowhere', async () => {
    const mark = wire.mark();
    await page.getByTestId('pin-submit').click();
    const exchange = page.getByTestId('pin-exchange');
    await waitForText(exchange, 'exchange-status', '200');
    await waitForText(exchange, 'exchange-secret', PIN);

    const [request] = wire.since(mark, '/api/pin', 'POST');
    assert.ok(request);
    const sent = decodeProtectedHeader(String(bodyMember(request, 'pin')));
    assert.notEqual(sent.jti, decodeProtectedHeader(typedJwe).jti, 'not the JWE typed 15 minutes ago');
    const age = Math.floor(backendNow() / 1000) - Number(sent.iat);
    assert.ok(age >= 0 && age < DEFAULT_SECRET_MAX_AGE_SECONDS / 2, `sent ${age} s after it was made`);
    await waitForText(exchange, 'exchange-checks', `iat ${sent.iat} is`);
    wire.assertNowhere(PIN, 'the PIN');
    assert.ok(!wire.sent.some((r) => r.body?.includes(typedJwe)), 'the typed JWE never left the browser');
    await shots.take(page, 'pin-sent');
  });

  it('would have been refused with the JWE typed 15 minutes ago: too old', async () => {
    // Sent in a valid request of a session of its own (the demo's one user, signed in again),
    // on the bank's clock: its aud is this endpoint and its jti unused, so only its age can refuse it.
    const own = await signIn(showcase.urls, { now: backendNow });
    const attacker = await Attacker.against(showcase.origin, backendNow);
    const pinUrl = `${showcase.origin}/api/pin`;
    const old = await attacker.send('POST', pinUrl, own.access_token, { body: JSON.stringify({ pin: typedJwe }) });
    assert.equal(old.status, 400);
    assert.equal(old.description, 'pin: the encrypted value is too old (iat): encrypt it again');
    // The same request with a JWE made now is accepted.
    assert.equal((await attacker.send('POST', pinUrl, own.access_token, { body: JSON.stringify({ pin: await attacker.secret(PIN, pinUrl) }) })).status, 200);
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });
});
