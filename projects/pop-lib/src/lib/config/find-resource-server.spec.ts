import { findResourceServer } from './find-resource-server';

describe('findResourceServer', () => {
  const bank = { baseUrl: 'https://bank.example/api' };
  const bankAdmin = { baseUrl: 'https://bank.example/api/admin/' };
  const idp = { baseUrl: 'https://idp.example' };
  const servers = [bank, bankAdmin, idp];
  const base = 'https://app.example/';

  it('matches the base URL itself and paths below it', () => {
    expect(findResourceServer(servers, 'https://bank.example/api', base)).toBe(bank);
    expect(findResourceServer(servers, 'https://bank.example/api/', base)).toBe(bank);
    expect(findResourceServer(servers, 'https://bank.example/api/accounts?x=1#f', base)).toBe(bank);
    expect(findResourceServer(servers, 'https://idp.example/realms/x/token', base)).toBe(idp);
  });

  it('prefers the longest matching base URL', () => {
    expect(findResourceServer(servers, 'https://bank.example/api/admin/users', base)).toBe(bankAdmin);
    expect(findResourceServer(servers, 'https://bank.example/api/admin', base)).toBe(bankAdmin);
  });

  it('never matches across a path segment boundary', () => {
    expect(findResourceServer(servers, 'https://bank.example/api-admin', base)).toBeUndefined();
    expect(findResourceServer(servers, 'https://bank.example/apix/y', base)).toBeUndefined();
  });

  it('never matches another origin that shares a prefix', () => {
    expect(findResourceServer(servers, 'https://bank.example.evil/api/x', base)).toBeUndefined();
    expect(findResourceServer(servers, 'https://bank.example:8443/api/x', base)).toBeUndefined();
    expect(findResourceServer(servers, 'http://bank.example/api/x', base)).toBeUndefined();
    expect(findResourceServer(servers, 'https://evil.example/?u=https://bank.example/api', base)).toBeUndefined();
  });

  it('resolves relative request URLs against the page', () => {
    const local = { baseUrl: '/api' };
    expect(findResourceServer([local], '/api/pin', 'http://127.0.0.1:4200/')).toBe(local);
    expect(findResourceServer([local], 'api/pin', 'http://127.0.0.1:4200/')).toBe(local);
    expect(findResourceServer([local], 'https://other.example/api/pin', 'http://127.0.0.1:4200/')).toBeUndefined();
  });

  it('ignores URLs that do not parse', () => {
    expect(findResourceServer(servers, 'http://[::1', base)).toBeUndefined();
  });
});
