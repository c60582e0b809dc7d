import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { compactDecrypt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { providePop } from 'pop-lib';
import { SessionStore } from '../session/session-store';
import { Pin } from './pin';

async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ready(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(ready()).withContext('condition reached in time').toBeTrue();
}

describe('Banking PIN page', () => {
  afterEach(() => sessionStorage.clear());

  it('encrypts the PIN for the bank key named in the access token cnf claim and posts only the JWE', async () => {
    sessionStorage.clear();
    const session = new SessionStore();
    TestBed.configureTestingModule({
      imports: [Pin],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: SessionStore, useValue: session },
        providePop({ resourceServers: [{ baseUrl: '/idp', clientJwt: false }, { baseUrl: '/api' }], tokenProvider: session.tokenProvider }),
      ],
    });
    const bank = await generateKeyPair('RSA-OAEP-256', { extractable: true });
    const accessToken = await new SignJWT({
      sub: 'alice',
      exp: Math.floor(Date.now() / 1000) + 300,
      cnf: { jwk: { ...(await exportJWK(bank.publicKey)), kid: 'bank-1', use: 'enc' } },
    })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(crypto.getRandomValues(new Uint8Array(32)));
    session.signIn({ access_token: accessToken });

    const fixture = TestBed.createComponent(Pin);
    const page = fixture.nativeElement as HTMLElement;
    const byTestId = (id: string) => page.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
    await fixture.whenStable();

    const input = byTestId('pin-input') as HTMLInputElement;
    input.value = '4711';
    input.dispatchEvent(new Event('input'));
    const submit = byTestId('pin-submit') as HTMLButtonElement;
    await until(() => {
      fixture.detectChanges();
      return !submit.disabled;
    });
    expect(byTestId('pin-header')?.textContent).toContain('"kid":"bank-1"');
    submit.click();

    const http = TestBed.inject(HttpTestingController);
    const request = http.expectOne('/api/pin');
    expect(request.request.headers.get('Authorization')).toBe(`Bearer ${accessToken}`);
    const body = JSON.parse(request.request.body as string) as { pin: string };
    expect(Object.keys(body)).toEqual(['pin']);
    expect(request.request.body).not.toContain('4711');
    const { plaintext } = await compactDecrypt(body.pin, bank.privateKey);
    expect(new TextDecoder().decode(plaintext)).toBe('4711');

    request.flush({ received: '4711' });
    await fixture.whenStable();
    expect(byTestId('pin-sent')?.textContent).toBe(request.request.body as string);
    expect(byTestId('pin-result')?.textContent).toBe('{"received":"4711"}');
    expect(input.value).withContext('plaintext wiped after a valid submit').toBe('');
    http.verify();
  });

  it('asks to log in first and keeps submit disabled without a session', async () => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [Pin],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting(), providePop({ resourceServers: [{ baseUrl: '/api' }] })],
    });
    const fixture = TestBed.createComponent(Pin);
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    expect(page.querySelector('[data-testid="pin-login-needed"]')).not.toBeNull();
    expect((page.querySelector('[data-testid="pin-submit"]') as HTMLButtonElement).disabled).toBeTrue();
  });
});
