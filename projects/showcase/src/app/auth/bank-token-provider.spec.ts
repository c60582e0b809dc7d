import { EnvironmentInjector, runInInjectionContext } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { OidcSecurityService } from 'angular-auth-oidc-client';
import { KeyResolverService, providePop, type ResourceServerConfig } from 'pop-lib';
import { of } from 'rxjs';
import { bankAndToken } from '../testing/spec-helpers';
import { PROVIDER_BASE_URL } from './auth-config';
import { bankTokenProvider } from './bank-token-provider';

describe('bankTokenProvider', () => {
  const bank: ResourceServerConfig = { baseUrl: '/api' };
  const provider: ResourceServerConfig = { baseUrl: PROVIDER_BASE_URL, clientJwt: false };

  /** The auth library holding `accessToken` ('' when signed out). */
  function signedInWith(accessToken: string): void {
    TestBed.configureTestingModule({
      providers: [
        { provide: OidcSecurityService, useValue: { getAccessToken: () => of(accessToken) } },
        providePop({ resourceServers: [provider, bank], tokenProvider: bankTokenProvider }),
      ],
    });
  }

  const ask = (server: ResourceServerConfig) => runInInjectionContext(TestBed.inject(EnvironmentInjector), () => bankTokenProvider(server));

  it("gives the auth library's access token for the bank, and none for the provider", async () => {
    signedInWith('eyJ.access.token');
    expect(await ask(bank)).toBe('eyJ.access.token');
    expect(await ask(provider)).withContext("the provider's key never comes from a token").toBeNull();
  });

  it('answers null when signed out (the auth library gives an empty token)', async () => {
    signedInWith('');
    expect(await ask(bank)).toBeNull();
  });

  it("is wired into pop-lib as is: the bank's key is found through the token's res_pub_key", async () => {
    const { accessToken, publicJwk } = await bankAndToken();
    signedInWith(accessToken);
    const resolved = await TestBed.inject(KeyResolverService).resolve({ url: '/api/pin' });
    expect(resolved.source).toBe('claim');
    expect(resolved.kid).toBe(publicJwk.kid);
  });
});
