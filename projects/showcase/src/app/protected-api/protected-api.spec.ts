import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { compactDecrypt, compactVerify, decodeJwt, importJWK } from 'jose';
import { popInterceptor, providePop } from 'pop-lib';
import { Session } from '../auth/session';
import { bankAndToken, bearerFor, sessionStub, until } from '../testing/spec-helpers';
import { wireCapture } from '../traffic/wire-capture';
import { ProtectedApi } from './protected-api';

describe('Protected API page', () => {
  afterEach(() => sessionStorage.clear());

  it('calls /api/accounts with a ClientJWT the bank can open, and tells which request registered the HMAC key', async () => {
    sessionStorage.clear();
    const bank = await bankAndToken();
    TestBed.configureTestingModule({
      imports: [ProtectedApi],
      providers: [
        provideRouter([]),
        // The order of the showcase: the auth library's token, pop-lib's ClientJWT, the capture.
        provideHttpClient(withInterceptors([bearerFor(bank.accessToken), popInterceptor, wireCapture])),
        provideHttpClientTesting(),
        { provide: Session, useValue: sessionStub(true) },
        providePop({ resourceServers: [{ baseUrl: '/idp', clientJwt: false }, { baseUrl: '/api' }] }),
      ],
    });
    const fixture = TestBed.createComponent(ProtectedApi);
    const page = fixture.nativeElement as HTMLElement;
    const byTestId = (id: string) => page.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
    await fixture.whenStable();
    expect(byTestId('key-registration')?.textContent).toContain('No signed request yet');
    const backend = TestBed.inject(HttpTestingController);
    const nextRequest = () => until<TestRequest>(() => backend.match('/api/accounts')[0]);

    byTestId('api-call')?.click();
    const first = await nextRequest();
    const jwt = (first.request.headers.get('Authorization') ?? '').replace(/^Bearer /, '');
    const claims = decodeJwt(jwt);
    expect(claims['access_token']).toBe(bank.accessToken);
    // What the bank does: open hmac_key with its private key, verify the signature with it.
    const { plaintext } = await compactDecrypt(claims['hmac_key'] as string, bank.privateKey);
    const hmacJwk = JSON.parse(new TextDecoder().decode(plaintext)) as { kid: string };
    await expectAsync(compactVerify(jwt, await importJWK(hmacJwk, 'HS256'))).toBeResolved();
    first.flush({ owner: 'alice', accounts: [{ id: 'CH00', name: 'Current account', balance: 1, currency: 'CHF' }], verified: { clientJwt: { kid: hmacJwk.kid, registeredKey: true }, checks: ['ok'] } });
    await fixture.whenStable();
    fixture.detectChanges();

    expect(byTestId('exchange-status')?.textContent?.trim()).toBe('200 OK');
    expect(byTestId('exchange-hmac-key')).not.toBeNull();
    expect(byTestId('exchange-wire')?.textContent).toContain(`Authorization: Bearer ${jwt}`);
    expect(byTestId('api-accounts')?.textContent).toContain('Current account');
    expect(byTestId('key-registration-entry')?.textContent).toContain(`Key ${hmacJwk.kid}`);
    expect(byTestId('key-registration-entry')?.textContent).toContain('registered by request #1');

    // Accepted once: the next call carries only the kid, with a new nonce; both are in the session log.
    byTestId('api-call')?.click();
    await until(() => backend.match('/api/accounts').length === 0 || undefined);
    const second = await nextRequest();
    const next = decodeJwt((second.request.headers.get('Authorization') ?? '').replace(/^Bearer /, ''));
    expect('hmac_key' in next).toBeFalse();
    expect(next['nonce']).not.toBe(claims['nonce']);
    second.flush({ error: 'invalid_token' }, { status: 401, statusText: 'Unauthorized', headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
    await fixture.whenStable();
    fixture.detectChanges();
    expect(byTestId('exchange-refusal')?.textContent).toContain('Bearer error="invalid_token"');
    expect(byTestId('session-log')?.querySelectorAll('tbody tr').length).toBe(2);
  });
});
