import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { compactDecrypt } from 'jose';
import { providePop } from 'pop-lib';
import { Session } from '../auth/session';
import { bankAndToken, sessionStub, until } from '../testing/spec-helpers';
import { wireCapture } from '../traffic/wire-capture';
import { Pin } from './pin';

describe('Banking PIN page', () => {
  afterEach(() => sessionStorage.clear());

  function setUp(signedIn: boolean, accessToken: string | null) {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [Pin],
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([wireCapture])),
        provideHttpClientTesting(),
        { provide: Session, useValue: sessionStub(signedIn) },
        providePop({ resourceServers: [{ baseUrl: '/idp', clientJwt: false }, { baseUrl: '/api' }], tokenProvider: (server) => (server.baseUrl === '/api' ? accessToken : null) }),
      ],
    });
    const fixture = TestBed.createComponent(Pin);
    const page = fixture.nativeElement as HTMLElement;
    return { fixture, byTestId: (id: string) => page.querySelector(`[data-testid="${id}"]`) as HTMLElement | null };
  }

  it('encrypts the PIN to the key the access token names (res_pub_key), posts only the JWE, then shows the exchange and empties the field', async () => {
    const bank = await bankAndToken('RSA-OAEP-256');
    const { fixture, byTestId } = setUp(true, bank.accessToken);
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
    const body = JSON.parse(request.request.body as string) as { pin: string };
    expect(Object.keys(body)).toEqual(['pin']);
    expect(request.request.body).not.toContain('4711');
    const { plaintext } = await compactDecrypt(body.pin, bank.privateKey);
    expect(new TextDecoder().decode(plaintext)).toBe('4711');

    request.flush({ pin: '4711', verified: { checks: ['pin decrypted with the bank key'], decrypted: { audience: 'http://bank.test/api/pin' } } });
    await fixture.whenStable();
    fixture.detectChanges();
    expect(byTestId('exchange-wire')?.textContent).toContain(request.request.body as string);
    expect(byTestId('exchange-secret')?.textContent).toBe('4711');
    expect(byTestId('pin-status')?.textContent).withContext('a sent JWE is spent').toBe('INVALID');
    expect(byTestId('pin-preview')?.textContent).toBe('{"pin":null}');
    http.verify();
  });

  it('asks to sign in first and keeps submit disabled without a session', async () => {
    const { fixture, byTestId } = setUp(false, null);
    await fixture.whenStable();
    expect(byTestId('pin-login-needed')).not.toBeNull();
    expect((byTestId('pin-submit') as HTMLButtonElement).disabled).toBeTrue();
  });
});
