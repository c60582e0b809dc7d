import { isLoopbackHost, isSecureOrLoopback, tryParseUrl } from './url-policy';

describe('url policy', () => {
  it('treats 127.0.0.0/8, localhost and [::1] as loopback, as the URL parser spells them', () => {
    for (const url of ['http://127.0.0.1/', 'http://127.1.2.3:8080/', 'http://127.1/', 'http://localhost:4200/', 'http://LOCALHOST/', 'http://[::1]:80/', 'http://[0:0:0:0:0:0:0:1]/']) {
      expect(isLoopbackHost(new URL(url).hostname)).withContext(url).toBeTrue();
    }
    for (const url of ['http://128.0.0.1/', 'http://localhost.evil.example/', 'http://127.0.0.1.evil.example/', 'http://[::2]/', 'http://10.0.0.1/', 'http://0.0.0.0/']) {
      expect(isLoopbackHost(new URL(url).hostname)).withContext(url).toBeFalse();
    }
  });

  it('allows https anywhere and http only on loopback', () => {
    expect(isSecureOrLoopback(new URL('https://bank.example/'))).toBeTrue();
    expect(isSecureOrLoopback(new URL('http://127.0.0.1:4300/'))).toBeTrue();
    expect(isSecureOrLoopback(new URL('http://bank.example/'))).toBeFalse();
    expect(isSecureOrLoopback(new URL('ws://localhost/'))).toBeFalse();
    expect(isSecureOrLoopback(new URL('file:///etc/passwd'))).toBeFalse();
  });

  it('parses or returns undefined', () => {
    expect(tryParseUrl('/api', 'https://app.example/x/')?.href).toBe('https://app.example/api');
    expect(tryParseUrl('http://[bad')).toBeUndefined();
  });
});
