import {
  HTTP_INTERCEPTORS,
  HttpClient,
  HttpContext,
  HttpErrorResponse,
  HttpEvent,
  HttpHandler,
  HttpInterceptor,
  HttpInterceptorFn,
  HttpParams,
  HttpRequest,
  provideHttpClient,
  withInterceptors,
  withInterceptorsFromDi,
} from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { Injectable } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom, Observable } from 'rxjs';
import { TOKEN_BOUND_TO_ANOTHER_KEY } from '../../protocol';
import { ClientJwtService } from '../client-jwt/client-jwt.service';
import { POP_HMAC_KEY_DB_NAME } from '../client-jwt/pop-hmac-key-store';
import { PopConfig } from '../config/pop-config';
import { providePop } from '../config/provide-pop';
import { isPopError, PopError } from '../errors/pop-error';
import { KEY_SETUP_LOADER, loadKeySetup } from '../key-setup/load-key-setup';
import { KeyRequest, KeyResolverService, ResolvedKey } from '../keys/key-resolver.service';
import { POP_CLOCK } from '../keys/pop-clock';
import { bearerOf, decodeClientJwt, makeServerKey, openHmacKey, TestServerKey, verifyClientJwt } from '../testing/resource-server-keys';
import { deleteDb, freshDbName } from '../testing/indexed-db';
import { jwksBody } from '../testing/keys';
import { makeJwt } from '../testing/tokens';
import { popInterceptor, PopInterceptor } from './pop-interceptor';
import { POP_BYPASS } from './pop-http-context';

const BANK = 'https://bank.example/api';
const ACCOUNTS = `${BANK}/accounts`;
const UNKNOWN_KEY = { 'WWW-Authenticate': 'Bearer error="unknown_hmac_key"' };
const BOUND_CHALLENGE = `Bearer error="invalid_token", error_description="${TOKEN_BOUND_TO_ANOTHER_KEY}"`;
const BOUND = { 'WWW-Authenticate': BOUND_CHALLENGE };

describe('popInterceptor', () => {
  let server: TestServerKey;
  let resolve: jasmine.Spy<(request: KeyRequest) => Promise<ResolvedKey>>;
  let http: HttpClient;
  let backend: HttpTestingController;
  let token: string;
  let now: number;
  let dbName: string;

  function setUp(config: Partial<PopConfig> = {}, extraProviders: unknown[] = []): void {
    TestBed.configureTestingModule({
      providers: [
        providePop({
          resourceServers: [{ baseUrl: BANK }, { baseUrl: 'https://idp.example', clientJwt: false }, { baseUrl: '/local-api' }],
          ...config,
        }),
        provideHttpClient(withInterceptors([popInterceptor])),
        provideHttpClientTesting(),
        { provide: KeyResolverService, useValue: { resolve } },
        { provide: POP_CLOCK, useValue: () => now },
        { provide: POP_HMAC_KEY_DB_NAME, useValue: dbName },
        ...(extraProviders as never[]),
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  }

  /** Signing is asynchronous: wait (bounded) until the request reaches the test backend. */
  async function nextRequest(url: string): Promise<TestRequest> {
    for (let i = 0; i < 200; i++) {
      const found = backend.match((r) => r.url === url);
      if (found.length > 1) throw new Error(`${found.length} requests to ${url}`);
      const [request] = found;
      if (request) return request;
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error(`no request to ${url}`);
  }

  /** Lets pending promises settle, then checks nothing else was sent. */
  async function expectNothingMoreSent(): Promise<void> {
    await new Promise((r) => setTimeout(r, 20));
    backend.verify();
  }

  function authHeader(request: TestRequest): string | null {
    return request.request.headers.get('Authorization');
  }

  function claimsOf(request: TestRequest): Record<string, unknown> {
    return decodeClientJwt(bearerOf(authHeader(request))).claims;
  }

  function kidOf(request: TestRequest): unknown {
    return decodeClientJwt(bearerOf(authHeader(request))).header['kid'];
  }

  function getRelative(url: string): Promise<unknown> {
    return firstValueFrom(http.get(url, { headers: { Authorization: `Bearer ${token}` } }));
  }

  function getAccounts(headers: Record<string, string> = { Authorization: `Bearer ${token}` }): Promise<unknown> {
    return firstValueFrom(http.get(ACCOUNTS, { headers }));
  }

  beforeEach(async () => {
    dbName = freshDbName();
    now = Date.UTC(2026, 10, 22, 12, 0, 0, 0);
    server = await makeServerKey(BANK);
    resolve = jasmine.createSpy('resolve').and.callFake(() => Promise.resolve(server.resolved));
    token = await makeJwt({ sub: 'alice', aud: 'bank', scope: 'x'.repeat(700) });
  });

  afterEach(async () => {
    TestBed.resetTestingModule();
    await deleteDb(dbName);
  });

  describe('which requests it touches', () => {
    it('replaces the bearer token of a configured server\'s request with a verifiable ClientJWT', async () => {
      setUp();
      const result = getAccounts();
      const request = await nextRequest(ACCOUNTS);
      const jwt = bearerOf(authHeader(request));
      expect(jwt).not.toBe(token);
      const { header, claims } = decodeClientJwt(jwt);
      expect(header['typ']).toBe('client+jwt');
      const hmacJwk = await openHmacKey(claims['hmac_key'] as string, server.privateKey);
      expect(hmacJwk.kid).toBe(header['kid'] as string);
      const verified = await verifyClientJwt(jwt, hmacJwk);
      expect(verified).toEqual({
        access_token: token,
        nonce: jasmine.any(Number),
        timestamp: now,
        exp: Math.floor(now / 1000) + 30,
        htm: 'GET',
        htu: ACCOUNTS,
        hmac_key: claims['hmac_key'],
      });
      request.flush({ accounts: [] });
      expect(await result).toEqual({ accounts: [] });
      expect(resolve).toHaveBeenCalledOnceWith({ url: ACCOUNTS, oAuthToken: token });
    });

    it('leaves requests to other hosts, servers with clientJwt: false and look-alike paths untouched', async () => {
      setUp();
      for (const url of ['https://evil.example/api/accounts', 'https://idp.example/token', 'https://bank.example/apix', 'https://bank.example.evil/api/x']) {
        http.get(url, { headers: { Authorization: `Bearer ${token}` } }).subscribe();
        const request = backend.expectOne(url);
        expect(authHeader(request)).withContext(url).toBe(`Bearer ${token}`);
        request.flush({});
      }
      expect(resolve).not.toHaveBeenCalled();
    });

    it('never adds the provider\'s token to requests for other hosts', async () => {
      setUp({ tokenProvider: () => token });
      http.get('https://evil.example/x').subscribe();
      expect(backend.expectOne('https://evil.example/x').request.headers.has('Authorization')).toBeFalse();
    });

    it('lets requests marked POP_BYPASS pass untouched (the library\'s own JWKS fetches)', async () => {
      setUp({ tokenProvider: () => token });
      http.get(`${BANK}/pop-keys.json`, { context: new HttpContext().set(POP_BYPASS, true) }).subscribe();
      const request = await nextRequest(`${BANK}/pop-keys.json`);
      expect(request.request.headers.has('Authorization')).toBeFalse();
      expect(resolve).not.toHaveBeenCalled();
    });

    it('sends a request with no token unchanged when there is no token provider', async () => {
      setUp();
      http.get(ACCOUNTS).subscribe();
      const request = await nextRequest(ACCOUNTS);
      expect(request.request.headers.has('Authorization')).toBeFalse();
    });

    it('leaves other Authorization schemes alone and does not consult the token provider', async () => {
      const provider = jasmine.createSpy('tokenProvider').and.returnValue(token);
      setUp({ tokenProvider: provider });
      void getAccounts({ Authorization: 'Basic YWxpY2U6cHc=' });
      const request = await nextRequest(ACCOUNTS);
      expect(authHeader(request)).toBe('Basic YWxpY2U6cHc=');
      expect(provider).not.toHaveBeenCalled();
      request.flush({});
    });

    it('takes the token from the provider when the request has none (wrapper objects included)', async () => {
      const response = { access_token: token, token_type: 'Bearer', expires_in: 300 };
      const provider = jasmine.createSpy('tokenProvider').and.returnValue(Promise.resolve(response));
      setUp({ tokenProvider: provider });
      void firstValueFrom(http.get(ACCOUNTS));
      const request = await nextRequest(ACCOUNTS);
      expect(claimsOf(request)['access_token']).toBe(token);
      expect(provider).toHaveBeenCalledOnceWith(jasmine.objectContaining({ baseUrl: BANK }));
      expect(resolve).toHaveBeenCalledOnceWith({ url: ACCOUNTS, oAuthToken: response });
      request.flush({});
    });

    it('sends unchanged when the provider has no token (logged out)', async () => {
      setUp({ tokenProvider: () => null });
      http.get(ACCOUNTS).subscribe();
      const request = await nextRequest(ACCOUNTS);
      expect(request.request.headers.has('Authorization')).toBeFalse();
    });

    it('sends unchanged when the provider answers an empty string (angular-auth-oidc-client when logged out)', async () => {
      setUp({ tokenProvider: () => '' });
      http.get(ACCOUNTS).subscribe();
      const request = await nextRequest(ACCOUNTS);
      expect(request.request.headers.has('Authorization')).toBeFalse();
    });

    it('sets htm and htu from the actual request: method, absolute URL, HttpParams stripped', async () => {
      setUp();
      http.post(ACCOUNTS, { a: 1 }, { headers: { Authorization: `Bearer ${token}` }, params: new HttpParams().set('page', '2') }).subscribe();
      const request = await nextRequest(ACCOUNTS);
      expect(request.request.urlWithParams).toBe(`${ACCOUNTS}?page=2`);
      expect(claimsOf(request)['htm']).toBe('POST');
      expect(claimsOf(request)['htu']).toBe(ACCOUNTS);
      expect(request.request.body).toEqual({ a: 1 });
    });

    it('resolves relative URLs against the document for matching and htu', async () => {
      setUp();
      http.delete('/local-api/items/7?force=1', { headers: { Authorization: `Bearer ${token}` } }).subscribe();
      const request = await nextRequest('/local-api/items/7?force=1');
      expect(claimsOf(request)['htm']).toBe('DELETE');
      expect(claimsOf(request)['htu']).toBe(new URL('/local-api/items/7', document.baseURI).href);
    });

    it('attack: a <base href> changed at run time never lets the bare token out to a relative resource server', async () => {
      setUp({ resourceServers: [{ baseUrl: 'rel-api' }] });
      const base = document.createElement('base');
      base.href = new URL('/app1/', document.baseURI).href;
      document.head.prepend(base);
      try {
        for (const app of ['/app1/', '/app2/']) {
          base.href = new URL(app, document.baseURI).href;
          const done = getRelative('rel-api/accounts');
          const request = await nextRequest('rel-api/accounts');
          // Signed for the server under the base of the moment: a stale base would not match it and send the token bare.
          expect(authHeader(request)).not.toBe(`Bearer ${token}`);
          expect(claimsOf(request)['access_token']).toBe(token);
          expect(claimsOf(request)['htu']).toBe(new URL(`${app}rel-api/accounts`, document.baseURI).href);
          request.flush({});
          await done;
        }
      } finally {
        base.remove();
      }
    });

    it('wraps once even when registered twice (functional and class-based)', async () => {
      TestBed.configureTestingModule({
        providers: [
          providePop({ resourceServers: [{ baseUrl: BANK }] }),
          provideHttpClient(withInterceptors([popInterceptor]), withInterceptorsFromDi()),
          { provide: HTTP_INTERCEPTORS, useClass: PopInterceptor, multi: true },
          provideHttpClientTesting(),
          { provide: KeyResolverService, useValue: { resolve } },
          { provide: POP_HMAC_KEY_DB_NAME, useValue: dbName },
        ],
      });
      http = TestBed.inject(HttpClient);
      backend = TestBed.inject(HttpTestingController);
      void getAccounts();
      const request = await nextRequest(ACCOUNTS);
      expect(claimsOf(request)['access_token']).toBe(token);
    });
  });

  describe('the HMAC key life cycle over HTTP', () => {
    it('sends hmac_key until a response is accepted, then stops', async () => {
      setUp();
      const first = getAccounts();
      const r1 = await nextRequest(ACCOUNTS);
      expect(claimsOf(r1)['hmac_key']).toEqual(jasmine.any(String));
      r1.flush({});
      await first;
      const second = getAccounts();
      const r2 = await nextRequest(ACCOUNTS);
      expect('hmac_key' in claimsOf(r2)).toBeFalse();
      expect(decodeClientJwt(bearerOf(authHeader(r2))).header['kid']).toBe(decodeClientJwt(bearerOf(authHeader(r1))).header['kid']);
      r2.flush({});
      await second;
    });

    it('keeps sending hmac_key while responses are errors (not known to be accepted)', async () => {
      setUp();
      const first = getAccounts().catch((e: unknown) => e);
      (await nextRequest(ACCOUNTS)).flush('down', { status: 503, statusText: 'Unavailable' });
      expect(await first).toEqual(jasmine.any(HttpErrorResponse));
      void getAccounts();
      expect(claimsOf(await nextRequest(ACCOUNTS))['hmac_key']).toEqual(jasmine.any(String));
    });

    it('gives parallel first requests the same key, each with hmac_key and its own nonce', async () => {
      setUp();
      const urls = [1, 2, 3].map((i) => `${ACCOUNTS}/${i}`);
      urls.forEach((url) => http.get(url, { headers: { Authorization: `Bearer ${token}` } }).subscribe());
      const requests = await Promise.all(urls.map((url) => nextRequest(url)));
      const decoded = requests.map((r) => decodeClientJwt(bearerOf(authHeader(r))));
      expect(new Set(decoded.map((d) => d.header['kid'])).size).toBe(1);
      expect(decoded.every((d) => typeof d.claims['hmac_key'] === 'string')).toBeTrue();
      expect(new Set(decoded.map((d) => d.claims['nonce'])).size).toBe(3);
      expect(resolve).toHaveBeenCalledTimes(1);
    });

    it('uses a new nonce for every request, also when the same observable is subscribed again', async () => {
      setUp();
      const call = http.get(ACCOUNTS, { headers: { Authorization: `Bearer ${token}` } });
      const nonces = new Set<unknown>();
      for (let i = 0; i < 3; i++) {
        const done = firstValueFrom(call);
        const request = await nextRequest(ACCOUNTS);
        nonces.add(claimsOf(request)['nonce']);
        request.flush({});
        await done;
      }
      expect(nonces.size).toBe(3);
    });

    it('on 401 unknown_hmac_key re-sends once with hmac_key and returns the retry\'s response', async () => {
      setUp();
      const first = getAccounts();
      (await nextRequest(ACCOUNTS)).flush({});
      await first;
      const result = getAccounts();
      const rejected = await nextRequest(ACCOUNTS);
      expect('hmac_key' in claimsOf(rejected)).toBeFalse();
      rejected.flush('', { status: 401, statusText: 'Unauthorized', headers: UNKNOWN_KEY });
      const retry = await nextRequest(ACCOUNTS);
      expect(claimsOf(retry)['hmac_key']).toEqual(jasmine.any(String));
      expect(claimsOf(retry)['nonce']).not.toBe(claimsOf(rejected)['nonce']);
      const hmacJwk = await openHmacKey(claimsOf(retry)['hmac_key'] as string, server.privateKey);
      await expectAsync(verifyClientJwt(bearerOf(authHeader(retry)), hmacJwk)).toBeResolved();
      retry.flush({ ok: true });
      expect(await result).toEqual({ ok: true });
      await expectNothingMoreSent();
    });

    it('retries only once: a second unknown_hmac_key reaches the app', async () => {
      setUp();
      const result = getAccounts().catch((e: unknown) => e);
      (await nextRequest(ACCOUNTS)).flush('', { status: 401, statusText: 'Unauthorized', headers: UNKNOWN_KEY });
      (await nextRequest(ACCOUNTS)).flush('', { status: 401, statusText: 'Unauthorized', headers: UNKNOWN_KEY });
      const error = await result;
      expect(error).toEqual(jasmine.any(HttpErrorResponse));
      expect((error as HttpErrorResponse).status).toBe(401);
      await expectNothingMoreSent();
    });

    it('passes any other 401 straight to the app, without a retry', async () => {
      setUp();
      for (const challenge of ['Bearer error="invalid_token"', 'Bearer error="replayed_nonce"', 'DPoP error="unknown_hmac_key"']) {
        const result = getAccounts().catch((e: unknown) => e);
        (await nextRequest(ACCOUNTS)).flush('', { status: 401, statusText: 'Unauthorized', headers: { 'WWW-Authenticate': challenge } });
        expect(((await result) as HttpErrorResponse).status).withContext(challenge).toBe(401);
      }
      const forbidden = getAccounts().catch((e: unknown) => e);
      (await nextRequest(ACCOUNTS)).flush('', { status: 403, statusText: 'Forbidden', headers: UNKNOWN_KEY });
      expect(((await forbidden) as HttpErrorResponse).status).toBe(403);
      await expectNothingMoreSent();
    });

    it('rotates the key when the bearer token changes', async () => {
      setUp();
      const first = getAccounts();
      const r1 = await nextRequest(ACCOUNTS);
      r1.flush({});
      await first;
      const newToken = await makeJwt({ sub: 'alice', aud: 'bank', jti: 'refreshed' });
      void getAccounts({ Authorization: `Bearer ${newToken}` });
      const r2 = await nextRequest(ACCOUNTS);
      const kid1 = decodeClientJwt(bearerOf(authHeader(r1))).header['kid'];
      const kid2 = decodeClientJwt(bearerOf(authHeader(r2))).header['kid'];
      expect(kid2).not.toBe(kid1);
      expect(claimsOf(r2)['access_token']).toBe(newToken);
      const hmacJwk = await openHmacKey(claimsOf(r2)['hmac_key'] as string, server.privateKey);
      expect(hmacJwk.kid).toBe(kid2 as string);
    });
  });

  describe('clock', () => {
    it('corrects timestamps by the offset learnt from the server\'s Date header', async () => {
      setUp();
      const first = getAccounts();
      const r1 = await nextRequest(ACCOUNTS);
      expect(claimsOf(r1)['timestamp']).toBe(now);
      r1.flush({}, { headers: { Date: new Date(now + 120_000).toUTCString() } });
      await first;
      void getAccounts();
      const timestamp = claimsOf(await nextRequest(ACCOUNTS))['timestamp'] as number;
      expect(Math.abs(timestamp - (now + 120_000))).toBeLessThan(1000);
    });

    it('learns from error responses too, and ignores a Date within the header\'s resolution', async () => {
      setUp();
      const first = getAccounts().catch(() => undefined);
      (await nextRequest(ACCOUNTS)).flush('', { status: 500, statusText: 'x', headers: { Date: new Date(now).toUTCString() } });
      await first;
      void getAccounts();
      expect(claimsOf(await nextRequest(ACCOUNTS))['timestamp']).toBe(now);
    });
  });

  describe('failures', () => {
    it('fails with the resolver\'s typed error and sends nothing when the server key cannot be resolved', async () => {
      setUp();
      resolve.and.callFake(() => Promise.reject(new PopError('key_not_found', 'no key for bank')));
      const error = await getAccounts().catch((e: unknown) => e);
      expect(isPopError(error, 'key_not_found')).toBeTrue();
      await expectNothingMoreSent();
    });

    it('fails with signing_failed (never the bare token) when key set-up breaks without a typed error', async () => {
      setUp();
      resolve.and.callFake(() => Promise.reject(new Error('network')));
      const error = await getAccounts().catch((e: unknown) => e);
      expect(isPopError(error, 'signing_failed')).toBeTrue();
      await expectNothingMoreSent();
    });

    it('attack: blocking the code loaded on first use fails the request with load_failed, never the bare token; the next request loads it', async () => {
      let blocked = true;
      const loader = { loaded: () => undefined, load: () => (blocked ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : loadKeySetup()) };
      setUp({}, [{ provide: KEY_SETUP_LOADER, useValue: loader }]);
      const error = await getAccounts().catch((e: unknown) => e);
      expect(isPopError(error, 'load_failed')).toBeTrue();
      expect((error as PopError).message).toContain('Failed to fetch dynamically imported module');
      await expectNothingMoreSent();
      blocked = false;
      const result = getAccounts();
      const request = await nextRequest(ACCOUNTS);
      expect(claimsOf(request)['access_token']).toBe(token);
      expect(claimsOf(request)['hmac_key']).toEqual(jasmine.any(String));
      request.flush({});
      await result;
    });

    it('fails with token_malformed for a Bearer header that is not a bearer token', async () => {
      setUp();
      const error = await getAccounts({ Authorization: 'Bearer not a token' }).catch((e: unknown) => e);
      expect(isPopError(error, 'token_malformed')).toBeTrue();
      await expectNothingMoreSent();
    });

    it('fails with the token error when the provider hands over garbage', async () => {
      setUp({ tokenProvider: () => ({ access_token: 'bad token' }) });
      const error = await firstValueFrom(http.get(ACCOUNTS)).catch((e: unknown) => e);
      expect(isPopError(error, 'token_malformed')).toBeTrue();
      await expectNothingMoreSent();
    });

    it('fails when the provider itself fails', async () => {
      setUp({ tokenProvider: () => Promise.reject(new PopError('no_access_token', 'session expired')) });
      const error = await firstValueFrom(http.get(ACCOUNTS)).catch((e: unknown) => e);
      expect(isPopError(error, 'no_access_token')).toBeTrue();
      await expectNothingMoreSent();
    });

    it('fails when the retry cannot be signed, instead of sending the bare token', async () => {
      setUp();
      const result = getAccounts().catch((e: unknown) => e);
      const first = await nextRequest(ACCOUNTS);
      // The keys are dropped meanwhile (e.g. clear() at logout) and the server key is now unavailable.
      await TestBed.inject(ClientJwtService).clear();
      resolve.and.callFake(() => Promise.reject(new PopError('jwks_fetch_failed', 'gone')));
      first.flush('', { status: 401, statusText: 'Unauthorized', headers: UNKNOWN_KEY });
      expect(isPopError(await result, 'jwks_fetch_failed')).toBeTrue();
      await expectNothingMoreSent();
    });
  });

  describe('a token bound to another key (the server refuses this browser\'s key)', () => {
    /** One accepted request, so the key is registered; returns its kid. */
    async function registeredKid(): Promise<unknown> {
      const first = getAccounts();
      const request = await nextRequest(ACCOUNTS);
      request.flush({});
      await first;
      return kidOf(request);
    }

    it('fails with token_bound_to_other_key (cause: the 401), does not retry, and drops the key', async () => {
      setUp();
      const kid = await registeredKid();
      const result = getAccounts().catch((e: unknown) => e);
      (await nextRequest(ACCOUNTS)).flush({ error: 'invalid_token' }, { status: 401, statusText: 'Unauthorized', headers: BOUND });
      const error = await result;
      expect(isPopError(error, 'token_bound_to_other_key')).toBeTrue();
      expect((error as PopError).message).toContain(TOKEN_BOUND_TO_ANOTHER_KEY);
      expect((error as PopError).cause).toEqual(jasmine.any(HttpErrorResponse));
      expect(((error as PopError).cause as HttpErrorResponse).status).toBe(401);
      await expectNothingMoreSent();
      // The refused key is gone: the next request (say, with the same token by mistake) makes a new one.
      void getAccounts();
      const next = await nextRequest(ACCOUNTS);
      expect(kidOf(next)).not.toBe(kid);
      expect(claimsOf(next)['hmac_key']).toEqual(jasmine.any(String));
      expect(resolve).toHaveBeenCalledTimes(2);
    });

    it('is recognised on the retry after unknown_hmac_key too', async () => {
      setUp();
      await registeredKid();
      const result = getAccounts().catch((e: unknown) => e);
      (await nextRequest(ACCOUNTS)).flush('', { status: 401, statusText: 'Unauthorized', headers: UNKNOWN_KEY });
      const retry = await nextRequest(ACCOUNTS);
      expect(claimsOf(retry)['hmac_key']).toEqual(jasmine.any(String));
      retry.flush('', { status: 401, statusText: 'Unauthorized', headers: BOUND });
      expect(isPopError(await result, 'token_bound_to_other_key')).toBeTrue();
      await expectNothingMoreSent();
    });

    it('does not take look-alikes for it: the app gets the HTTP error and the key is kept', async () => {
      setUp();
      const kid = await registeredKid();
      const lookAlikes: { status: number; headers: Record<string, string>; body?: unknown }[] = [
        { status: 401, headers: { 'WWW-Authenticate': BOUND_CHALLENGE.toUpperCase() } },
        { status: 401, headers: { 'WWW-Authenticate': BOUND_CHALLENGE.replace(TOKEN_BOUND_TO_ANOTHER_KEY, `${TOKEN_BOUND_TO_ANOTHER_KEY} `) } },
        { status: 401, headers: { 'WWW-Authenticate': BOUND_CHALLENGE.replace('invalid_token', 'invalid_request') } },
        { status: 401, headers: { 'WWW-Authenticate': BOUND_CHALLENGE.replace('Bearer', 'DPoP') } },
        { status: 401, headers: { 'WWW-Authenticate': `Bearer error="invalid_token", realm="error_description=${TOKEN_BOUND_TO_ANOTHER_KEY}"` } },
        { status: 401, headers: { 'WWW-Authenticate': `${BOUND_CHALLENGE}, error_description="other"` } },
        { status: 401, headers: {}, body: { error: 'invalid_token', error_description: TOKEN_BOUND_TO_ANOTHER_KEY } },
        { status: 403, headers: BOUND },
      ];
      for (const answer of lookAlikes) {
        const result = getAccounts().catch((e: unknown) => e);
        (await nextRequest(ACCOUNTS)).flush(answer.body ?? '', { status: answer.status, statusText: 'Refused', headers: answer.headers });
        const error = await result;
        expect(error).withContext(JSON.stringify(answer)).toEqual(jasmine.any(HttpErrorResponse));
      }
      void getAccounts();
      expect(kidOf(await nextRequest(ACCOUNTS))).toBe(kid);
      expect(resolve).toHaveBeenCalledTimes(1);
    });
  });

  describe('the library\'s own requests never carry the bare token', () => {
    /** An app's auth interceptor: adds the bare token and turns cookies on, for every request. */
    const authInterceptor = (bearer: () => string): HttpInterceptorFn => (request, next) =>
      next(request.clone({ setHeaders: { Authorization: `Bearer ${bearer()}` }, withCredentials: true }));

    async function expectJwksPastTheChain(seen: string[]): Promise<void> {
      const result = firstValueFrom(http.get(ACCOUNTS));
      const jwks = await nextRequest(`${BANK}/pop-keys.json`);
      expect(jwks.request.headers.has('Authorization')).toBeFalse();
      expect(jwks.request.headers.keys().map((h) => jwks.request.headers.get(h) ?? '').join(' ')).not.toContain(token.split('.')[2] as string);
      expect(jwks.request.withCredentials).toBeFalse();
      expect(jwks.request.credentials).toBe('omit');
      jwks.flush(jwksBody(server.publicJwk), { headers: { 'Content-Type': 'application/json' } });
      const api = await nextRequest(ACCOUNTS);
      expect(claimsOf(api)['access_token']).toBe(token);
      api.flush({});
      await result;
      // The app's interceptors saw its own request only.
      expect(seen).toEqual([ACCOUNTS]);
    }

    it('sends the JWKS request past an auth interceptor listed before popInterceptor', async () => {
      const seen: string[] = [];
      const logging: HttpInterceptorFn = (request, next) => {
        seen.push(request.url);
        return next(request);
      };
      TestBed.configureTestingModule({
        providers: [
          providePop({ resourceServers: [{ baseUrl: BANK }] }),
          provideHttpClient(withInterceptors([logging, authInterceptor(() => token), popInterceptor])),
          provideHttpClientTesting(),
          { provide: POP_HMAC_KEY_DB_NAME, useValue: dbName },
        ],
      });
      http = TestBed.inject(HttpClient);
      backend = TestBed.inject(HttpTestingController);
      await expectJwksPastTheChain(seen);
    });

    it('sends it past class-based interceptors too (NgModule apps)', async () => {
      const seen: string[] = [];
      @Injectable()
      class AuthInterceptor implements HttpInterceptor {
        intercept(request: HttpRequest<unknown>, next: HttpHandler): Observable<HttpEvent<unknown>> {
          seen.push(request.url);
          return next.handle(request.clone({ setHeaders: { Authorization: `Bearer ${token}` }, withCredentials: true }));
        }
      }
      TestBed.configureTestingModule({
        providers: [
          providePop({ resourceServers: [{ baseUrl: BANK }] }),
          provideHttpClient(withInterceptorsFromDi()),
          { provide: HTTP_INTERCEPTORS, useClass: AuthInterceptor, multi: true },
          { provide: HTTP_INTERCEPTORS, useClass: PopInterceptor, multi: true },
          provideHttpClientTesting(),
          { provide: POP_HMAC_KEY_DB_NAME, useValue: dbName },
        ],
      });
      http = TestBed.inject(HttpClient);
      backend = TestBed.inject(HttpTestingController);
      await expectJwksPastTheChain(seen);
    });
  });
});
