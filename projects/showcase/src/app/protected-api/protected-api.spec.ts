import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { compactDecrypt, compactVerify, decodeJwt, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { popInterceptor, providePop } from 'pop-lib';
import { SessionStore } from '../session/session-store';
import { clientJwtCapture } from './client-jwt-log';
import { ProtectedApi } from './protected-api';

async function until<T>(find: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not reached in time');
}

describe('Protected API page', () => {
  afterEach(() => sessionStorage.clear());

  it('calls /api/accounts with a ClientJWT the bank can open, and shows status and decoded ClientJWT', async () => {
    sessionStorage.clear();
    const session = new SessionStore();
    TestBed.configureTestingModule({
      imports: [ProtectedApi],
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([popInterceptor, clientJwtCapture])),
        provideHttpClientTesting(),
        { provide: SessionStore, useValue: session },
        providePop({ resourceServers: [{ baseUrl: '/idp', clientJwt: false }, { baseUrl: '/api' }], tokenProvider: session.tokenProvider }),
      ],
    });
    const bank = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
    const accessToken = await new SignJWT({
      sub: 'alice',
      exp: Math.floor(Date.now() / 1000) + 300,
      cnf: { jwk: { ...(await exportJWK(bank.publicKey)), kid: 'bank-1', use: 'enc' } },
    })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(crypto.getRandomValues(new Uint8Array(32)));
    session.signIn({ access_token: accessToken, token_type: 'Bearer' });

    const fixture = TestBed.createComponent(ProtectedApi);
    const page = fixture.nativeElement as HTMLElement;
    const byTestId = (id: string) => page.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
    await fixture.whenStable();
    const backend = TestBed.inject(HttpTestingController);
    const nextRequest = () => until<TestRequest>(() => backend.match('/api/accounts')[0]);

    byTestId('api-call')?.click();
    const first = await nextRequest();
    const jwt = (first.request.headers.get('Authorization') ?? '').replace(/^Bearer /, '');
    const claims = decodeJwt(jwt);
    expect(claims['access_token']).toBe(accessToken);
    // What the bank does: open hmac_key with its private key, verify the signature with it.
    const { plaintext } = await compactDecrypt(claims['hmac_key'] as string, bank.privateKey);
    const hmacJwk = JSON.parse(new TextDecoder().decode(plaintext)) as { kid: string };
    await expectAsync(compactVerify(jwt, await importJWK(hmacJwk, 'HS256'))).toBeResolved();
    first.flush({ owner: 'alice', accounts: [] }, { status: 200, statusText: 'OK' });
    await fixture.whenStable();
    fixture.detectChanges();
    expect(byTestId('api-status')?.textContent).toBe('200');
    const shown = JSON.parse(byTestId('api-clientjwt')?.textContent ?? '{}') as { header: Record<string, unknown>; payload: Record<string, unknown> };
    expect(shown.header).toEqual({ alg: 'HS256', typ: 'client+jwt', kid: hmacJwk.kid });
    expect(shown.payload['htm']).toBe('GET');
    expect(shown.payload['htu']).toBe(new URL('/api/accounts', document.baseURI).href);
    expect(shown.payload['hmac_key']).toEqual(jasmine.any(String));

    // Accepted once: the next call no longer sends the key, with a new nonce.
    byTestId('api-call')?.click();
    const second = await nextRequest();
    second.flush('', { status: 401, statusText: 'Unauthorized', headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
    await fixture.whenStable();
    fixture.detectChanges();
    expect(byTestId('api-status')?.textContent).toBe('401');
    const again = JSON.parse(byTestId('api-clientjwt')?.textContent ?? '{}') as { payload: Record<string, unknown> };
    expect('hmac_key' in again.payload).toBeFalse();
    expect(again.payload['nonce']).not.toBe(shown.payload['nonce']);
  });
});
