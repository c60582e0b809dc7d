import { HttpEvent, HttpHeaders, HttpRequest, HttpResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom, Observable, of } from 'rxjs';
import { POP_HMAC_KEY_DB_NAME } from '../client-jwt/pop-hmac-key-store';
import { providePop } from '../config/provide-pop';
import { ResourceServers } from '../config/resource-servers';
import { KeyResolverService } from '../keys/key-resolver.service';
import { deleteDb, freshDbName } from '../testing/indexed-db';
import { bearerOf, decodeClientJwt, makeServerKey, openHmacKey, TestServerKey, verifyClientJwt } from '../testing/resource-server-keys';
import { makeJwt } from '../testing/tokens';
import { ClientJwtHttpHandler } from './client-jwt-http-handler';

const BANK = 'https://bank.example/api';

/** What one request costs the interceptor, apart from signing: the work each request repeats. */
describe('ClientJwtHttpHandler per request', () => {
  let server: TestServerKey;
  let token: string;
  let dbName: string;
  let handler: ClientJwtHttpHandler;
  let sent: HttpRequest<unknown>[];

  const next = (request: HttpRequest<unknown>): Observable<HttpEvent<unknown>> => {
    sent.push(request);
    return of(new HttpResponse({ status: 200, url: request.url }));
  };

  function get(url: string): Promise<HttpEvent<unknown>> {
    const request = new HttpRequest('GET', url, null, { headers: new HttpHeaders({ Authorization: `Bearer ${token}` }) });
    return firstValueFrom(handler.handle(request, next));
  }

  beforeEach(async () => {
    dbName = freshDbName();
    server = await makeServerKey(BANK);
    token = await makeJwt({ sub: 'alice', aud: 'bank' });
    sent = [];
    TestBed.configureTestingModule({
      providers: [
        providePop({ resourceServers: [{ baseUrl: 'https://idp.example', clientJwt: false }, { baseUrl: BANK }, { baseUrl: `${BANK}/admin` }] }),
        { provide: KeyResolverService, useValue: { resolve: () => Promise.resolve(server.resolved) } },
        { provide: POP_HMAC_KEY_DB_NAME, useValue: dbName },
      ],
    });
    handler = TestBed.inject(ClientJwtHttpHandler);
    // The first request sets up and registers the key: what follows is the steady state.
    await get(`${BANK}/accounts`);
  });

  afterEach(async () => {
    TestBed.resetTestingModule();
    await deleteDb(dbName);
  });

  it('looks the resource server up once per request', async () => {
    const locate = spyOn(TestBed.inject(ResourceServers), 'locate').and.callThrough();
    await get(`${BANK}/accounts?page=2`);
    await get(`${BANK}/admin/users`);
    expect(locate.calls.allArgs()).toEqual([[`${BANK}/accounts?page=2`], [`${BANK}/admin/users`]]);
  });

  it('parses a request URL once (the server lookup and htu share it), and a URL called again not at all', async () => {
    const NativeUrl = URL;
    let parsed: string[] = [];
    class CountingUrl extends NativeUrl {
      constructor(url: string | URL, base?: string | URL) {
        super(url, base);
        parsed.push(String(url));
      }
    }
    globalThis.URL = CountingUrl;
    try {
      for (const url of [`${BANK}/accounts?page=2`, `${BANK}/accounts/7#top`]) {
        parsed = [];
        await get(url);
        expect(parsed).withContext(url).toEqual([url]);
        parsed = [];
        await get(url);
        expect(parsed).withContext(`${url} again`).toEqual([]);
      }
    } finally {
      globalThis.URL = NativeUrl;
    }
    // And what was sent is still right: a verifiable ClientJWT whose htu is the URL's origin and path.
    const jwt = bearerOf(sent[sent.length - 1]?.headers.get('Authorization') ?? null);
    const first = bearerOf(sent[0]?.headers.get('Authorization') ?? null);
    const hmacJwk = await openHmacKey(decodeClientJwt(first).claims['hmac_key'] as string, server.privateKey);
    expect((await verifyClientJwt(jwt, hmacJwk))['htu']).toBe(`${BANK}/accounts/7`);
  });

  it('still checks the bearer token of every request: a malformed one fails, nothing is sent', async () => {
    sent = [];
    for (const bad of ['Bearer a b', 'Bearer a"b', `Bearer ${'a'.repeat(8 * 1024 + 1)}`]) {
      const request = new HttpRequest('GET', `${BANK}/accounts`, null, { headers: new HttpHeaders({ Authorization: bad }) });
      const error = await firstValueFrom(handler.handle(request, next)).catch((e: unknown) => e);
      expect((error as { code?: string }).code).withContext(bad.slice(0, 20)).toMatch(/^token_(malformed|too_large)$/);
    }
    expect(sent).toEqual([]);
  });

  it('attack: a URL under the server whose origin and path are too long to be an htu fails the request (never sent bare)', async () => {
    sent = [];
    const url = `${BANK}/${'a'.repeat(1100)}`;
    for (let i = 0; i < 2; i++) {
      const error = await get(url).catch((e: unknown) => e);
      expect((error as { code?: string }).code).withContext(`attempt ${i + 1}`).toBe('signing_failed');
    }
    expect(sent).toEqual([]);
  });
});
