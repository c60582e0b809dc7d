import { HttpClient, provideHttpClient, withInterceptorsFromDi } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { PopModule } from '../config/pop.module';
import { KeyResolverService } from '../keys/key-resolver.service';
import { bearerOf, decodeClientJwt, makeServerKey, openHmacKey, verifyClientJwt } from '../testing/resource-server-keys';
import { makeJwt } from '../testing/tokens';

describe('PopModule.forRoot (NgModule apps)', () => {
  it('registers the class-based interceptor: HttpClient calls carry ClientJWTs unchanged in the calling code', async () => {
    const server = await makeServerKey('https://bank.example/api');
    TestBed.configureTestingModule({
      imports: [PopModule.forRoot({ resourceServers: [{ baseUrl: 'https://bank.example/api' }] })],
      providers: [
        provideHttpClient(withInterceptorsFromDi()),
        provideHttpClientTesting(),
        { provide: KeyResolverService, useValue: { resolve: () => Promise.resolve(server.resolved) } },
      ],
    });
    const token = await makeJwt({ sub: 'alice' });
    TestBed.inject(HttpClient).get('https://bank.example/api/accounts', { headers: { Authorization: `Bearer ${token}` } }).subscribe();
    const backend = TestBed.inject(HttpTestingController);
    let found = backend.match('https://bank.example/api/accounts');
    for (let i = 0; i < 200 && found.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 2));
      found = backend.match('https://bank.example/api/accounts');
    }
    expect(found.length).toBe(1);
    const jwt = bearerOf(found[0]?.request.headers.get('Authorization') ?? null);
    const hmacJwk = await openHmacKey(decodeClientJwt(jwt).claims['hmac_key'] as string, server.privateKey);
    expect((await verifyClientJwt(jwt, hmacJwk))['access_token']).toBe(token);
  });
});
