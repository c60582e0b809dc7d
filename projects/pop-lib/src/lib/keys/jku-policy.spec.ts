import { isPopError } from '../errors/pop-error';
import { assertJkuAllowed } from './jku-policy';

describe('assertJkuAllowed', () => {
  const allowed = new Set(['https://bank.example', 'http://127.0.0.1:4300', 'http://localhost:4200', 'http://[::1]:8080', 'http://bank.example']);

  function codeOf(jku: string): string {
    try {
      assertJkuAllowed(jku, allowed);
    } catch (e) {
      return isPopError(e) ? `${e.code}${e.message.includes(jku.slice(0, 20)) ? '' : ' (URL not named)'}` : String(e);
    }
    return 'allowed';
  }

  it('allows https on an allowed origin', () => {
    expect(codeOf('https://bank.example/api/pop-keys.json')).toBe('allowed');
    expect(assertJkuAllowed('https://bank.example/k.json', allowed).href).toBe('https://bank.example/k.json');
  });

  it('allows plain http on loopback hosts only', () => {
    expect(codeOf('http://127.0.0.1:4300/api/pop-keys.json')).toBe('allowed');
    expect(codeOf('http://localhost:4200/pop-keys.json')).toBe('allowed');
    expect(codeOf('http://[::1]:8080/pop-keys.json')).toBe('allowed');
    expect(codeOf('http://bank.example/pop-keys.json')).toBe('jku_not_allowed');
  });

  it('refuses foreign origins, look-alike hosts, other ports and schemes, naming the URL', () => {
    for (const jku of [
      'https://evil.example/pop-keys.json',
      'https://bank.example.evil/pop-keys.json',
      'https://bank.example:8443/pop-keys.json',
      'https://sub.bank.example/pop-keys.json',
      'https://127.0.0.1:4300/api/pop-keys.json',
      'ftp://bank.example/pop-keys.json',
      'data:application/json,{"keys":[]}',
      'javascript:alert(1)',
      'file:///etc/passwd',
    ]) {
      expect(codeOf(jku)).withContext(jku).toBe('jku_not_allowed');
    }
  });

  it('refuses credentials and fragments in the URL', () => {
    expect(codeOf('https://user:pw@bank.example/pop-keys.json').startsWith('jku_not_allowed')).toBeTrue();
    expect(codeOf('https://bank.example/pop-keys.json#x')).toBe('jku_not_allowed');
  });

  it('refuses relative or unparsable jku values as cnf_invalid', () => {
    expect(codeOf('/api/pop-keys.json')).toBe('cnf_invalid');
    expect(codeOf('pop-keys.json')).toBe('cnf_invalid');
    expect(codeOf('https://[bad')).toBe('cnf_invalid');
  });
});
