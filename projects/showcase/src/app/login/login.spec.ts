import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { compactDecrypt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { providePop } from 'pop-lib';
import { SessionStore } from '../session/session-store';
import { Login } from './login';

/** Polls (bounded) until `ready()`; encryption runs outside Angular's task tracking. */
async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ready(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(ready()).withContext('condition reached in time').toBeTrue();
}

describe('Login page', () => {
  let fixture: ComponentFixture<Login>;
  let http: HttpTestingController;
  let page: HTMLElement;
  const byTestId = (id: string) => page.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;

  beforeEach(async () => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [Login],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        providePop({ resourceServers: [{ baseUrl: '/idp', clientJwt: false }, { baseUrl: '/api' }] }),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(Login);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => sessionStorage.clear());

  it('sends the password as a JWE for the key at /idp/pop-keys.json, and logs in', async () => {
    const idpKeys = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
    const password = byTestId('login-password') as HTMLInputElement;
    password.value = 'wonderland';
    password.dispatchEvent(new Event('input'));

    const jwks = http.expectOne((request) => request.url.endsWith('/idp/pop-keys.json'));
    jwks.flush(JSON.stringify({ keys: [{ ...(await exportJWK(idpKeys.publicKey)), kid: 'idp-1', use: 'enc' }] }));
    const submit = byTestId('login-submit') as HTMLButtonElement;
    await until(() => {
      fixture.detectChanges();
      return !submit.disabled;
    });
    expect(byTestId('login-preview')?.textContent).not.toContain('wonderland');
    submit.click();

    const login = http.expectOne('/idp/token');
    const body = JSON.parse(login.request.body as string) as { username: string; password: string };
    expect(body.username).toBe('alice');
    const { plaintext } = await compactDecrypt(body.password, idpKeys.privateKey);
    expect(new TextDecoder().decode(plaintext)).toBe('wonderland');
    await fixture.whenStable();
    expect(byTestId('login-sent')?.textContent).toBe(login.request.body as string);

    const accessToken = await new SignJWT({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 300 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(crypto.getRandomValues(new Uint8Array(32)));
    login.flush({ access_token: accessToken, token_type: 'Bearer', expires_in: 300 });
    await fixture.whenStable();
    expect(byTestId('login-result')?.textContent).toContain('Logged in as alice');
    expect(TestBed.inject(SessionStore).accessToken()).toBe(accessToken);
    http.verify();
  });

  it('shows the key failure and keeps submit disabled when the IdP key cannot be fetched', async () => {
    const password = byTestId('login-password') as HTMLInputElement;
    password.value = 'wonderland';
    password.dispatchEvent(new Event('input'));
    http.expectOne((request) => request.url.endsWith('/idp/pop-keys.json')).flush('nope', { status: 404, statusText: 'Not Found' });
    await until(() => {
      fixture.detectChanges();
      return byTestId('login-error') !== null;
    });
    expect(byTestId('login-error')?.textContent).toContain('jwks_fetch_failed');
    expect((byTestId('login-submit') as HTMLButtonElement).disabled).toBeTrue();
    http.expectNone('/idp/token');
  });
});
