import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { compactDecrypt, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { providePop } from 'pop-lib';
import { until } from '../testing/spec-helpers';
import { wireCapture } from '../traffic/wire-capture';
import { ProviderLogin } from './provider-login';
import { ResumeAuthorization } from './resume-authorization';

describe('Provider login page', () => {
  const uid = 'abc123';
  const target = `/idp/interaction/${uid}/login`;
  let fixture: ComponentFixture<ProviderLogin>;
  let http: HttpTestingController;
  let page: HTMLElement;
  let resume: jasmine.Spy;
  let providerKey: CryptoKey;
  const byTestId = (id: string) => page.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;

  beforeEach(async () => {
    sessionStorage.clear();
    resume = jasmine.createSpy('go');
    TestBed.configureTestingModule({
      imports: [ProviderLogin],
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([wireCapture])),
        provideHttpClientTesting(),
        providePop({ resourceServers: [{ baseUrl: '/idp', clientJwt: false }, { baseUrl: '/api' }] }),
        { provide: ResumeAuthorization, useValue: { go: resume } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ProviderLogin);
    fixture.componentRef.setInput('uid', uid);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    http.expectOne(`/idp/interaction/${uid}/details`).flush({
      uid,
      prompt: 'login',
      client: { id: 'pop-lib-showcase', name: 'pop-lib showcase' },
      scope: 'openid accounts',
      resource: 'http://bank.test/api',
      redirectUri: 'http://app.test/callback',
      codeChallengeMethod: 'S256',
    });
    const keys = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
    providerKey = keys.privateKey;
    typePassword('wonderland');
    // The key set-up code loads on first use (a lazy chunk), so the key request comes a little later.
    const keyRequest = await until(() => http.match((request) => request.url.endsWith('/idp/pop-keys.json'))[0]);
    keyRequest.flush(JSON.stringify({ keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'idp-1', use: 'enc' }] }));
    await until(() => {
      fixture.detectChanges();
      return byTestId('login-status')?.textContent === 'VALID';
    });
  });

  afterEach(() => sessionStorage.clear());

  function typePassword(value: string): void {
    const input = byTestId('login-password') as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  async function submit(): Promise<{ username: string; password: string; flush: (body: object, status?: number) => Promise<void> }> {
    (byTestId('login-submit') as HTMLButtonElement).click();
    const request = http.expectOne(target);
    const body = JSON.parse(request.request.body as string) as { username: string; password: string };
    return {
      ...body,
      flush: async (response, status = 200) => {
        request.flush(response, { status, statusText: status === 200 ? 'OK' : 'Unauthorized' });
        await fixture.whenStable();
        fixture.detectChanges();
      },
    };
  }

  it('shows who asks, and posts the password only as a JWE for the provider key to this interaction', async () => {
    expect(byTestId('login-client')?.textContent).toContain('pop-lib showcase');
    expect(byTestId('login-preview')?.textContent).not.toContain('wonderland');
    const sent = await submit();
    expect(sent.username).toBe('alice');
    const { plaintext } = await compactDecrypt(sent.password, providerKey);
    expect(new TextDecoder().decode(plaintext)).toBe('wonderland');
    await sent.flush({ redirectTo: 'http://app.test/idp/auth/abc123', verified: { account: 'alice', checks: ['decrypted'] } });
    expect(resume).toHaveBeenCalledOnceWith('http://app.test/idp/auth/abc123');
    http.verify();
  });

  it('after a refused password the form is honest: no stale JWE, empty field, invalid, submit disabled', async () => {
    const sent = await submit();
    await sent.flush({ error: 'login_failed', error_description: 'wrong username or password', verified: { checks: ['decrypted with the provider key'] } }, 401);
    expect(byTestId('login-failure')?.textContent).toContain('Wrong username or password.');
    expect(byTestId('login-status')?.textContent).toBe('INVALID');
    expect(JSON.parse(byTestId('login-preview')?.textContent ?? '{}')).toEqual({ username: 'alice', password: null });
    expect((byTestId('login-password') as HTMLInputElement).value).toBe('');
    expect((byTestId('login-submit') as HTMLButtonElement).disabled).toBeTrue();
    // The attempt is shown from both ends: the JWE on the wire, the provider's refusal.
    expect(byTestId('exchange-wire')?.textContent).toContain(sent.password);
    expect(byTestId('exchange-refusal')?.textContent).toContain('wrong username or password');
    expect(resume).not.toHaveBeenCalled();
  });

  it('says so when the interaction has expired', async () => {
    const sent = await submit();
    await sent.flush({ error: 'interaction_expired', error_description: 'this sign-in attempt has expired or was already used' }, 400);
    expect(byTestId('login-expired')).not.toBeNull();
    expect((byTestId('login-submit') as HTMLButtonElement).disabled).toBeTrue();
  });
});
