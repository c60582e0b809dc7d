import { HttpHeaders, HttpRequest } from '@angular/common/http';
import { isPartOfTheStory } from './wire-capture';
import { captureRequest, headerOf, toHttpText } from './wire-request';

describe('Wire capture', () => {
  it('captures a request as HttpClient sends it: absolute URL, headers with the default Accept, the serialised body', () => {
    const request = new HttpRequest('POST', '/api/pin', { pin: 'eyJ.jwe' }, { headers: new HttpHeaders({ Authorization: 'Bearer eyJ.a.b' }) });
    const wire = captureRequest(request);
    expect(wire.url).toBe(new URL('/api/pin', document.baseURI).href);
    expect(wire.headers).toEqual([
      ['Accept', 'application/json, text/plain, */*'],
      ['Authorization', 'Bearer eyJ.a.b'],
      ['Content-Type', 'application/json'],
    ]);
    expect(wire.body).toBe('{"pin":"eyJ.jwe"}');
    expect(headerOf(wire.headers, 'authorization')).toBe('Bearer eyJ.a.b');
  });

  it('prints it the way a proxy log does: request line, Host, headers, blank line, body', () => {
    const text = toHttpText({ method: 'GET', url: 'http://127.0.0.1:4200/api/accounts?x=1', headers: [['Authorization', 'Bearer t']], body: null });
    expect(text).toBe('GET /api/accounts?x=1 HTTP/1.1\nHost: 127.0.0.1:4200\nAuthorization: Bearer t');
    expect(toHttpText({ method: 'POST', url: 'http://h/p', headers: [], body: 'a=1' })).toBe('POST /p HTTP/1.1\nHost: h\n\na=1');
  });

  it('records the bank calls and the provider POSTs, not key or discovery documents, nor other origins', () => {
    expect(isPartOfTheStory('GET', '/api/accounts')).toBeTrue();
    expect(isPartOfTheStory('POST', '/idp/token')).toBeTrue();
    expect(isPartOfTheStory('GET', '/api/pop-keys.json')).toBeFalse();
    expect(isPartOfTheStory('GET', '/idp/.well-known/openid-configuration')).toBeFalse();
    expect(isPartOfTheStory('GET', 'https://elsewhere.example/api/accounts')).toBeFalse();
  });
});
