import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { SignJWT } from 'jose';
import { bankAndToken, until } from '../testing/spec-helpers';
import type { Exchange } from '../traffic/request-log';
import { ExchangeView } from './exchange-view';

describe('Exchange view: the attacks', () => {
  let fixture: ComponentFixture<ExchangeView>;
  let page: HTMLElement;
  let exchange: Exchange;
  let bank: Awaited<ReturnType<typeof bankAndToken>>;
  const byTestId = (id: string) => page.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
  const url = new URL('/api/accounts', document.baseURI).href;

  beforeEach(async () => {
    bank = await bankAndToken();
    const jwt = await new SignJWT({ access_token: bank.accessToken, nonce: 1, htm: 'GET', htu: url })
      .setProtectedHeader({ alg: 'HS256', typ: 'client+jwt', kid: 'k1' })
      .sign(crypto.getRandomValues(new Uint8Array(32)));
    exchange = {
      id: 3,
      sentAt: Date.now(),
      request: { method: 'GET', url, headers: [['Accept', 'application/json'], ['Authorization', `Bearer ${jwt}`]], body: null },
      clientJwt: { jwt, header: { alg: 'HS256', typ: 'client+jwt', kid: 'k1' }, payload: { access_token: bank.accessToken } },
      response: { status: 200, statusText: 'OK', headers: [], body: { verified: { clientJwt: { kid: 'k1' }, checks: ['ok'] } } },
    };
    fixture = TestBed.createComponent(ExchangeView);
    fixture.componentRef.setInput('exchange', exchange);
    fixture.componentRef.setInput('attacks', true);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  const refusal = (error: string) =>
    new Response(JSON.stringify({ error, error_description: 'nope' }), { status: 401, statusText: 'Unauthorized', headers: { 'WWW-Authenticate': `Bearer error="${error}"` } });

  it('replays the logged request byte for byte with fetch, without cookies, and shows the refusal', async () => {
    const fetchSpy = spyOn(window, 'fetch').and.callFake(async () => refusal('replayed_nonce'));
    byTestId('attack-replay')?.click();
    const outcome = await until(() => {
      fixture.detectChanges();
      return byTestId('attack-outcome-replay');
    });
    expect(fetchSpy).toHaveBeenCalledOnceWith(url, { method: 'GET', headers: exchange.request.headers, body: null, credentials: 'omit', cache: 'no-store' });
    expect(outcome.textContent).toContain('Refused');
    expect(outcome.querySelector('[data-testid="attack-challenge"]')?.textContent).toContain('replayed_nonce');
  });

  it('tries the stolen token bare and under a fresh key, and says plainly that the guarantee broke when a server accepts the second', async () => {
    spyOn(window, 'fetch').and.callFake(async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/pop-keys.json')) return new Response(JSON.stringify({ keys: [bank.publicJwk] }));
      const authorization = (init?.headers as [string, string][]).find(([name]) => name === 'Authorization')?.[1];
      return authorization === `Bearer ${bank.accessToken}` ? refusal('invalid_token') : new Response('{}', { status: 200, statusText: 'OK' });
    });
    byTestId('attack-steal')?.click();
    const forged = await until(() => {
      fixture.detectChanges();
      return byTestId('attack-outcome-stolen-fresh-key');
    });
    expect(byTestId('attack-outcome-stolen-bare')?.textContent).toContain('Refused');
    expect(forged.textContent).toContain('Accepted');
    expect(forged.textContent).toContain('The guarantee did not hold');
  });

  it('shows the bound-token refusal of the stolen token under a fresh key, with its challenge', async () => {
    const bound = 'Bearer error="invalid_token", error_description="access_token is bound to another HMAC key"';
    spyOn(window, 'fetch').and.callFake(async (input: RequestInfo | URL) => {
      if (String(input).endsWith('/pop-keys.json')) return new Response(JSON.stringify({ keys: [bank.publicJwk] }));
      return new Response('{}', { status: 401, statusText: 'Unauthorized', headers: { 'WWW-Authenticate': bound } });
    });
    byTestId('attack-steal')?.click();
    const forged = await until(() => {
      fixture.detectChanges();
      return byTestId('attack-outcome-stolen-fresh-key');
    });
    expect(forged.textContent).toContain('Refused');
    expect(forged.querySelector('[data-testid="attack-challenge"]')?.textContent).toBe(`WWW-Authenticate: ${bound}`);
    expect(forged.textContent).not.toContain('The guarantee did not hold');
  });
});
