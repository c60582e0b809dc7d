import { showcaseAuthConfig } from './auth-config';

describe('showcaseAuthConfig', () => {
  const config = showcaseAuthConfig('http://127.0.0.1:4200');

  it('uses the code flow against the provider on the same origin, asking for a bank token at both endpoints', () => {
    expect(config.authority).toBe('http://127.0.0.1:4200/idp');
    expect(config.responseType).toBe('code');
    expect(config.disablePkce).toBeFalsy();
    expect(config.customParamsAuthRequest?.['resource']).toBe('http://127.0.0.1:4200/api');
    expect(config.customParamsCodeRequest?.['resource']).toBe('http://127.0.0.1:4200/api');
    expect(config.autoUserInfo).toBeFalse();
  });

  it("sends the token to the bank's API only (a pop-lib resource server with ClientJWTs), never to the provider", () => {
    const secured = (url: string) => (config.secureRoutes ?? []).some((route) => url.startsWith(route));
    expect(secured('/api/accounts')).toBeTrue();
    expect(secured('/api/pin')).toBeTrue();
    expect(secured('/api/transfers')).toBeTrue();
    expect(secured('/apiary')).withContext('a path boundary, not a string prefix').toBeFalse();
    expect(secured('/idp/token')).toBeFalse();
    expect(secured('/idp/me')).toBeFalse();
    expect(secured('http://elsewhere.example/api/accounts')).toBeFalse();
  });
});
