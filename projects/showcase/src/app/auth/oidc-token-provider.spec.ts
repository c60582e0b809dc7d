import type { OidcSecurityService } from 'angular-auth-oidc-client';
import { of } from 'rxjs';
import { OidcTokenProvider } from './oidc-token-provider';

describe('OidcTokenProvider', () => {
  const tokens = (value: string) => ({ getAccessToken: () => of(value) }) as unknown as OidcSecurityService;

  it("gives pop-lib the auth library's access token for the bank only, and nothing before it is connected", async () => {
    const provider = new OidcTokenProvider();
    expect(await provider.tokenProvider({ baseUrl: '/api' })).toBeNull();
    provider.connect(tokens('eyJ.access.token'));
    expect(await provider.tokenProvider({ baseUrl: '/api' })).toBe('eyJ.access.token');
    expect(await provider.tokenProvider({ baseUrl: '/idp', clientJwt: false })).withContext("the provider's key never comes from a token").toBeNull();
  });

  it('answers null when signed out (the auth library gives an empty token)', async () => {
    const provider = new OidcTokenProvider();
    provider.connect(tokens(''));
    expect(await provider.tokenProvider({ baseUrl: '/api' })).toBeNull();
  });
});
