import { isPopError } from '../errors/pop-error';
import { toHtu } from './htu';

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
  });

  it('rejects what cannot be an http(s) request URL', () => {
    for (const url of ['http://[::1', 'ftp://bank.example/x', 'data:text/plain,x']) {
      let error: unknown;
      try {
        toHtu(url, base);
      } catch (e) {
        error = e;
      }
      expect(isPopError(error, 'signing_failed')).withContext(url).toBeTrue();
    }
  });
});
