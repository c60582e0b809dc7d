import { MAX_HTU_LENGTH } from './limits.ts';
import { htuOf, toHtu } from './htu.ts';

describe('toHtu', () => {
  const base = 'http://127.0.0.1:4200/app/';

  it('drops query, fragment and user info, keeps origin and path', () => {
    expect(toHtu('https://bank.example/api/accounts?x=1&y=2#frag', base)).toBe('https://bank.example/api/accounts');
    expect(toHtu('https://alice:secret@bank.example:8443/api/x', base)).toBe('https://bank.example:8443/api/x');
  });

  it('resolves relative URLs against the base', () => {
    expect(toHtu('/api/accounts?page=2', base)).toBe('http://127.0.0.1:4200/api/accounts');
    expect(toHtu('api/accounts', base)).toBe('http://127.0.0.1:4200/app/api/accounts');
  });

  it('normalises like the URL parser (dot segments, default port, case of host)', () => {
    expect(toHtu('https://BANK.example:443/api/a/../b', base)).toBe('https://bank.example/api/b');
    expect(toHtu('HTTP://bank.example:80/%7Ealice', base)).toBe('http://bank.example/%7Ealice');
  });

  it('refuses what cannot be an http(s) request URL, and relative URLs without a base', () => {
    for (const url of ['http://[::1', 'ftp://bank.example/x', 'data:text/plain,x', 'javascript:alert(1)']) {
      expect(toHtu(url, base)).withContext(url).toBeUndefined();
    }
    expect(toHtu('/api/accounts')).toBeUndefined();
  });

  it('refuses a URL whose origin and path are longer than the protocol allows', () => {
    const origin = 'https://bank.example/';
    expect(toHtu(origin + 'a'.repeat(MAX_HTU_LENGTH - origin.length))?.length).toBe(MAX_HTU_LENGTH);
    expect(toHtu(origin + 'a'.repeat(MAX_HTU_LENGTH - origin.length + 1))).toBeUndefined();
    // The query does not count: it is not part of htu.
    expect(toHtu(`${origin}x?${'q'.repeat(5000)}`)).toBe(`${origin}x`);
  });
});

describe('htuOf', () => {
  it('gives what toHtu gives for the same URL, parsed once by the caller', () => {
    const base = 'http://127.0.0.1:4200/app/';
    for (const url of ['https://BANK.example:443/api/a/../b?x#y', 'api/accounts', 'ftp://bank.example/x', `https://bank.example/${'a'.repeat(1100)}`]) {
      expect(htuOf(new URL(url, base))).withContext(url).toBe(toHtu(url, base));
    }
  });
});
