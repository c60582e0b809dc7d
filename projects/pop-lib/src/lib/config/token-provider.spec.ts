import { HttpHeaders, provideHttpClient, withInterceptors, HttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { inject, Injectable } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { popInterceptor } from '../http/pop-interceptor';
import { KeyResolverService } from '../keys/key-resolver.service';
import { makeServerKey } from '../testing/resource-server-keys';
import { makeJwt } from '../testing/tokens';
import { providePop } from './provide-pop';

/** Stands for an auth library's service that holds the session's token. */
@Injectable({ providedIn: 'root' })
class AuthSession {
  token: string | null = null;
}

describe('tokenProvider', () => {
  it('is called in the application\'s injection context, so it can inject an auth service', async () => {
    const server = await makeServerKey('https://bank.example/api');
    const seen: string[] = [];
    TestBed.configureTestingModule({
      providers: [
        providePop({
          resourceServers: [{ baseUrl: 'https://bank.example/api' }],
          tokenProvider: (rs) => {
            seen.push(rs.baseUrl);
            return inject(AuthSession).token;
          },
        }),
        provideHttpClient(withInterceptors([popInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    TestBed.inject(AuthSession).token = await makeJwt({ sub: 'alice', cnf: { jwk: server.publicJwk } });
    const key = await TestBed.inject(KeyResolverService).resolve({ url: 'https://bank.example/api/pin' });
    expect(key.source).toBe('cnf.jwk');
    // The interceptor asks the provider too, for a request without an Authorization header.
    TestBed.inject(HttpClient).get('https://bank.example/api/accounts', { headers: new HttpHeaders() }).subscribe();
    const backend = TestBed.inject(HttpTestingController);
    let [request] = backend.match('https://bank.example/api/accounts');
    for (let i = 0; i < 100 && !request; i++) {
      await new Promise((r) => setTimeout(r, 10));
      [request] = backend.match('https://bank.example/api/accounts');
    }
    expect(request?.request.headers.get('Authorization')).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(seen).toEqual(['https://bank.example/api', 'https://bank.example/api']);
  });
});
