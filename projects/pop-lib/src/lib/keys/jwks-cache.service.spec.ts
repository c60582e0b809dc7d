import { HttpInterceptorFn, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { JWK } from 'jose';
import { PopConfig, POP_CONFIG } from '../config/pop-config';
import { isPopError } from '../errors/pop-error';
import { POP_BYPASS } from '../http/pop-http-context';
import { loadKeySetup } from '../key-setup/load-key-setup';
import { jwksBody, publicEncryptionJwk } from '../testing/keys';
import { JwksCacheService } from './jwks-cache.service';
import { POP_CLOCK } from './pop-clock';

const URL_ = 'https://bank.example/api/pop-keys.json';
const MINUTE = 60_000;

describe('JwksCacheService', () => {
  let now: number;
  let http: HttpTestingController;
  let cache: JwksCacheService;
  let a: JWK;
  let b: JWK;

  function setup(jwks: PopConfig['jwks'] = {}, interceptors: HttpInterceptorFn[] = []): void {
    now = 5_000_000;
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors(interceptors)),
        provideHttpClientTesting(),
        { provide: POP_CONFIG, useValue: { resourceServers: [], jwks } },
        { provide: POP_CLOCK, useValue: () => now },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    cache = TestBed.inject(JwksCacheService);
  }

  beforeAll(async () => {
    a = await publicEncryptionJwk({ kid: 'a', use: 'enc' });
    b = await publicEncryptionJwk({ kid: 'b', use: 'enc' });
  });

  afterEach(() => http?.verify());

  /** Answers the one pending request to the JWKS URL once the service has issued it. */
  async function respond(body: string, headers: Record<string, string> = {}, status = 200): Promise<void> {
    // match() takes the requests it returns off the controller's list: call it once per poll.
    let requests = http.match(URL_);
    for (let i = 0; i < 50 && requests.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 0));
      requests = http.match(URL_);
    }
    expect(requests.length).withContext('pending requests').toBe(1);
    requests[0]?.flush(body, { headers, status, statusText: status === 200 ? 'OK' : 'Error' });
  }

  async function codeOf(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (e) {
      return isPopError(e) ? e.code : `not a PopError: ${String(e)}`;
    }
    return 'resolved';
  }

  /** How many requests are waiting (checked, then answered so none stays open). */
  async function pendingCount(): Promise<number> {
    await new Promise((r) => setTimeout(r, 0));
    const requests = http.match(URL_);
    for (const request of requests) request.flush(jwksBody(a));
    return requests.length;
  }

  describe('caching', () => {
    it('serves a fetched key from the cache for the default 5 minutes, then refetches', async () => {
      setup();
      const first = cache.getKey(URL_);
      await respond(jwksBody(a));
      expect((await first).kid).toBe('a');
      now += 5 * MINUTE - 1;
      expect((await cache.getKey(URL_)).kid).toBe('a');
      expect((await cache.getKey(URL_, 'a')).kid).toBe('a');
      expect(await pendingCount()).toBe(0);
      now += 1;
      const refreshed = cache.getKey(URL_);
      await respond(jwksBody(b));
      expect((await refreshed).kid).toBe('b');
    });

    it('honours Cache-Control: max-age', async () => {
      setup();
      const first = cache.getKey(URL_);
      await respond(jwksBody(a), { 'Cache-Control': 'public, max-age=60' });
      await first;
      now += 59_999;
      await cache.getKey(URL_);
      expect(await pendingCount()).toBe(0);
      now += 1;
      const second = cache.getKey(URL_);
      await respond(jwksBody(a));
      await second;
    });

    it('caps max-age at one day, and a configured default applies without the header', async () => {
      setup({ defaultMaxAgeMs: 1000 });
      const first = cache.getKey(URL_);
      await respond(jwksBody(a), { 'Cache-Control': 'max-age=31536000' });
      await first;
      now += 86_400_000;
      const second = cache.getKey(URL_);
      await respond(jwksBody(a));
      await second;
      now += 1000;
      const third = cache.getKey(URL_);
      await respond(jwksBody(a));
      await third;
    });

    it('does not keep a JWKS served with no-store', async () => {
      setup();
      const first = cache.getKey(URL_);
      await respond(jwksBody(a), { 'Cache-Control': 'no-store' });
      await first;
      const second = cache.getKey(URL_);
      await respond(jwksBody(a), { 'Cache-Control': 'no-store' });
      await second;
    });

    it('does not keep a failure: the next call fetches again', async () => {
      setup();
      const first = cache.getKey(URL_);
      await respond('down', {}, 503);
      expect(await codeOf(first)).toBe('jwks_fetch_failed');
      const second = cache.getKey(URL_);
      await respond(jwksBody(a));
      expect((await second).kid).toBe('a');
    });

    it('does not serve an expired key when the refetch fails', async () => {
      setup();
      const first = cache.getKey(URL_);
      await respond(jwksBody(a));
      await first;
      now += 5 * MINUTE;
      const second = cache.getKey(URL_, 'a');
      await respond('down', {}, 500);
      expect(await codeOf(second)).toBe('jwks_fetch_failed');
    });

    it('clear() forgets everything', async () => {
      setup();
      const first = cache.getKey(URL_);
      await respond(jwksBody(a));
      await first;
      cache.clear();
      expect(cache.cachedKey(URL_)).toBeUndefined();
      const second = cache.getKey(URL_);
      await respond(jwksBody(a));
      await second;
    });
  });

  describe('unknown kid', () => {
    it('refetches at most once per 30 s cool-down', async () => {
      setup();
      const first = cache.getKey(URL_, 'a');
      await respond(jwksBody(a));
      await first;
      now += 30_000;
      const rotated = cache.getKey(URL_, 'b');
      await respond(jwksBody(b, a));
      expect((await rotated).kid).toBe('b');
      now += 29_999;
      expect(await codeOf(cache.getKey(URL_, 'c'))).toBe('key_not_found');
      expect(await codeOf(cache.getKey(URL_, 'd'))).toBe('key_not_found');
      expect(await pendingCount()).toBe(0);
      now += 1;
      const again = cache.getKey(URL_, 'c');
      await respond(jwksBody(b, a));
      const error = await again.catch((e: unknown) => e);
      expect(isPopError(error, 'key_not_found')).toBeTrue();
      expect((error as Error).message).toContain(URL_);
    });

    it('counts the cool-down from the first fetch too', async () => {
      setup({ refetchCooldownMs: 10_000 });
      const first = cache.getKey(URL_, 'a');
      await respond(jwksBody(a));
      await first;
      now += 9_999;
      expect(await codeOf(cache.getKey(URL_, 'b'))).toBe('key_not_found');
      expect(await pendingCount()).toBe(0);
    });

    it('a failed refresh keeps serving the still-valid cached keys', async () => {
      setup();
      const first = cache.getKey(URL_, 'a');
      await respond(jwksBody(a));
      await first;
      now += 31_000;
      const unknown = cache.getKey(URL_, 'b');
      await respond('down', {}, 502);
      const error = await unknown.catch((e: unknown) => e);
      expect(isPopError(error, 'key_not_found')).toBeTrue();
      expect((error as Error).message).toContain('refreshing it failed');
      expect((await cache.getKey(URL_, 'a')).kid).toBe('a');
      expect((await cache.getKey(URL_)).kid).toBe('a');
      // The failed attempt starts a new cool-down: no request storm against a failing server.
      expect(await codeOf(cache.getKey(URL_, 'b'))).toBe('key_not_found');
      expect(await pendingCount()).toBe(0);
    });

    it('does not refetch for a kid the JWKS has but cannot be used, and says why', async () => {
      setup();
      const weak = await rsa1024({ kid: 'weak' });
      const first = cache.getKey(URL_, 'weak');
      await respond(jwksBody(weak, a));
      expect(await codeOf(first)).toBe('key_too_weak');
      now += MINUTE;
      expect(await codeOf(cache.getKey(URL_, 'weak'))).toBe('key_too_weak');
      expect(await pendingCount()).toBe(0);
    });
  });

  describe('single flight', () => {
    it('50 concurrent cold requests share one HTTP request and one key', async () => {
      setup();
      const all = Array.from({ length: 50 }, () => cache.getKey(URL_));
      await respond(jwksBody(a));
      const keys = await Promise.all(all);
      expect(new Set(keys.map((k) => k.key)).size).toBe(1);
    });

    it('concurrent unknown-kid lookups share one refetch', async () => {
      setup();
      const first = cache.getKey(URL_, 'a');
      await respond(jwksBody(a));
      await first;
      now += 30_000;
      const lookups = [cache.getKey(URL_, 'b'), cache.getKey(URL_, 'b'), cache.getKey(URL_, 'x')];
      await respond(jwksBody(a, b));
      const results = await Promise.allSettled(lookups);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    });
  });

  describe('hostile responses', () => {
    it('asks the backend for the configured timeout (5 s by default) on every JWKS request', async () => {
      for (const [jwks, expected] of [[{}, 5000], [{ timeoutMs: 1200 }, 1200]] as const) {
        setup(jwks);
        const pending = cache.getKey(URL_);
        let requests = http.match(URL_);
        for (let i = 0; i < 50 && requests.length === 0; i++) {
          await new Promise((r) => setTimeout(r, 0));
          requests = http.match(URL_);
        }
        expect(requests.length).toBe(1);
        expect(requests[0]?.request.timeout).withContext(JSON.stringify(jwks)).toBe(expected);
        requests[0]?.flush(jwksBody(a));
        await pending;
        TestBed.resetTestingModule();
      }
    });

    it('reports a backend timeout as jwks_fetch_failed, naming the time it waited', async () => {
      setup();
      const pending = cache.getKey(URL_);
      let requests = http.match(URL_);
      for (let i = 0; i < 50 && requests.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 0));
        requests = http.match(URL_);
      }
      // What Angular's fetch and XHR backends report when the request's timeout runs out.
      requests[0]?.error(new DOMException('signal timed out', 'TimeoutError') as unknown as ProgressEvent);
      const error = await pending.catch((e: unknown) => e);
      expect(isPopError(error, 'jwks_fetch_failed')).toBeTrue();
      expect((error as Error).message).toContain('no answer within 5000 ms');
    });

    it('times out after 5 s with Angular\'s own fetch backend: the request is aborted, not left hanging', async () => {
      // The real HttpBackend (fetch), with a server that never answers.
      TestBed.configureTestingModule({ providers: [provideHttpClient(), { provide: POP_CONFIG, useValue: { resourceServers: [] } }] });
      const signals: AbortSignal[] = [];
      const fetchSpy = spyOn(globalThis, 'fetch').and.callFake((_input, init) => {
        const signal = init?.signal as AbortSignal;
        signals.push(signal);
        return new Promise<Response>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      });
      // The key set-up code (loaded on first use) is loaded before the clock is frozen.
      await loadKeySetup();
      jasmine.clock().install();
      try {
        const pending = TestBed.inject(JwksCacheService).getKey(URL_);
        expect(fetchSpy).toHaveBeenCalledTimes(1);
        jasmine.clock().tick(4_999);
        let settled = false;
        void pending.then(() => (settled = true), () => (settled = true));
        await Promise.resolve();
        expect(settled).toBeFalse();
        expect(signals[0]?.aborted).toBeFalse();
        jasmine.clock().tick(1);
        const error = await pending.catch((e: unknown) => e);
        expect(isPopError(error, 'jwks_fetch_failed')).toBeTrue();
        expect((error as Error).message).toContain('5000 ms');
        expect(signals[0]?.aborted).toBeTrue();
      } finally {
        jasmine.clock().uninstall();
      }
    });

    it('checks a requested kid before it touches the bag or the network', async () => {
      setup();
      for (const kid of ['', 'a/b', 'x'.repeat(129), 'a b']) {
        expect(await codeOf(cache.getKey(URL_, kid))).withContext(kid).toBe('key_not_found');
      }
      expect(await pendingCount()).toBe(0);
    });

    it('names the URL and status of an HTTP error', async () => {
      setup();
      const pending = cache.getKey(URL_);
      await respond('nope', {}, 404);
      const error = await pending.catch((e: unknown) => e);
      expect(isPopError(error, 'jwks_fetch_failed')).toBeTrue();
      expect((error as Error).message).toContain(URL_);
      expect((error as Error).message).toContain('404');
    });

    it('rejects a body that is not JSON, or JSON that is not a JWKS', async () => {
      setup();
      for (const body of ['<html>hi</html>', '{"keys": "x"}', '{"keys":[{"kty":"EC"}],', '[]']) {
        const pending = cache.getKey(URL_);
        await respond(body);
        expect(await codeOf(pending)).withContext(body).toBe('jwks_invalid');
      }
    });

    it('rejects a response served as another content type', async () => {
      setup();
      const pending = cache.getKey(URL_);
      await respond(jwksBody(a), { 'Content-Type': 'text/html' });
      expect(await codeOf(pending)).toBe('jwks_invalid');
      const ok = cache.getKey(URL_);
      await respond(jwksBody(a), { 'Content-Type': 'application/jwk-set+json; charset=utf-8' });
      expect(await codeOf(ok)).toBe('resolved');
    });

    it('rejects a JWKS of only private or only symmetric keys', async () => {
      setup();
      const privateOnly = cache.getKey(URL_);
      await respond(jwksBody({ ...a, d: 'AAAA' }, { ...b, d: 'BBBB' }));
      expect(await codeOf(privateOnly)).toBe('key_private');
      const symmetricOnly = cache.getKey(URL_);
      await respond(jwksBody({ kty: 'oct', kid: 's', k: 'AAPapAv4LbFbiVawEjagUBluYqN5rhna-8nuldDvOx8' }));
      expect(await codeOf(symmetricOnly)).toBe('key_symmetric');
    });

    it('rejects a JWKS with only signing keys, and an empty one', async () => {
      setup({ defaultMaxAgeMs: 0 });
      const sigOnly = cache.getKey(URL_);
      await respond(jwksBody({ ...a, use: 'sig' }, { ...b, alg: 'ES256', use: undefined }));
      expect(await codeOf(sigOnly)).toBe('key_use_mismatch');
      const empty = cache.getKey(URL_);
      await respond('{"keys":[]}');
      expect(await codeOf(empty)).toBe('key_not_found');
    });

    it('rejects keys with mismatched kty and crv', async () => {
      setup({ defaultMaxAgeMs: 0 });
      const okpWithEcCurve = cache.getKey(URL_);
      await respond(jwksBody({ ...a, kty: 'OKP' }));
      expect(await codeOf(okpWithEcCurve)).toBe('key_unsupported');
      const wrongSize = cache.getKey(URL_);
      await respond(jwksBody({ ...a, crv: 'P-384' }));
      expect(await codeOf(wrongSize)).toBe('key_invalid');
    });

    it('rejects a 1024-bit RSA key', async () => {
      setup();
      const pending = cache.getKey(URL_);
      await respond(jwksBody(await rsa1024({})));
      expect(await codeOf(pending)).toBe('key_too_weak');
    });
  });

  describe('selection without a kid', () => {
    it('prefers "use":"enc", then no use, never "use":"sig"; first in document order wins', async () => {
      setup({ defaultMaxAgeMs: 0 });
      const sig = await publicEncryptionJwk({ kid: 'sig', use: 'sig' });
      const none1 = await publicEncryptionJwk({ kid: 'none1' });
      const none2 = await publicEncryptionJwk({ kid: 'none2' });
      const enc1 = await publicEncryptionJwk({ kid: 'enc1', use: 'enc' });
      const enc2 = await publicEncryptionJwk({ kid: 'enc2', use: 'enc' });
      const cases: [JWK[], string][] = [
        [[sig, none1, enc1, enc2], 'enc1'],
        [[sig, none1, none2], 'none1'],
        [[none2, none1], 'none2'],
        [[enc2, enc1], 'enc2'],
      ];
      for (const [keys, expected] of cases) {
        const pending = cache.getKey(URL_);
        await respond(jwksBody(...keys));
        expect((await pending).kid).withContext(keys.map((k) => k.kid).join(',')).toBe(expected);
      }
    });

    it('honours key_ops and alg: skips keys that may not encrypt', async () => {
      setup({ defaultMaxAgeMs: 0 });
      const verifyOnly = await publicEncryptionJwk({ kid: 'verify', use: 'enc', key_ops: ['verify'] });
      const es256 = await publicEncryptionJwk({ kid: 'es256', use: 'enc', alg: 'ES256' });
      const rsa1_5 = { ...(await publicEncryptionJwk({ kid: 'rsa15' }, 'RSA')), alg: 'RSA1_5' };
      const good = await publicEncryptionJwk({ kid: 'good', key_ops: ['deriveKey', 'deriveBits'] });
      const pending = cache.getKey(URL_);
      await respond(jwksBody(verifyOnly, es256, rsa1_5, good));
      expect((await pending).kid).toBe('good');
    });
  });

  describe('selection with a kid', () => {
    it('takes the key with that kid, preferring "use":"enc" to no use for the same kid', async () => {
      setup();
      const bNoUse = await publicEncryptionJwk({ kid: 'b' });
      const bEnc = await publicEncryptionJwk({ kid: 'b', use: 'enc' });
      const bSig = await publicEncryptionJwk({ kid: 'b', use: 'sig' });
      const pending = cache.getKey(URL_, 'b');
      await respond(jwksBody(a, bSig, bNoUse, bEnc));
      expect((await pending).jwk.x).toBe(bEnc.x);
    });

    it('refuses a JWKS where two keys answer to one kid', async () => {
      setup();
      const pending = cache.getKey(URL_, 'a');
      await respond(jwksBody(a, { ...b, kid: 'a' }));
      expect(await codeOf(pending)).toBe('jwks_invalid');
    });

    it('reports key_use_mismatch when the only key with that kid is for signing', async () => {
      setup();
      const pending = cache.getKey(URL_, 's');
      await respond(jwksBody(a, { ...b, kid: 's', use: 'sig' }));
      expect(await codeOf(pending)).toBe('key_use_mismatch');
    });
  });

  describe('past the app\'s interceptors', () => {
    it('carries no Authorization and no credentials whatever the app\'s interceptors add', async () => {
      const seen: string[] = [];
      const auth: HttpInterceptorFn = (request, next) => {
        seen.push(request.url);
        return next(request.clone({ setHeaders: { Authorization: 'Bearer app-access-token' }, withCredentials: true }));
      };
      setup({}, [auth]);
      const key = cache.getKey(URL_);
      let requests = http.match(URL_);
      for (let i = 0; i < 50 && requests.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 0));
        requests = http.match(URL_);
      }
      expect(requests.length).toBe(1);
      const request = requests[0]?.request;
      expect(request?.headers.has('Authorization')).toBeFalse();
      expect(request?.withCredentials).toBeFalse();
      expect(request?.credentials).toBe('omit');
      expect(request?.redirect).toBe('error');
      expect(request?.context.get(POP_BYPASS)).toBeTrue();
      expect(seen).toEqual([]);
      requests[0]?.flush(jwksBody(a));
      expect((await key).kid).toBe('a');
    });
  });
});

async function rsa1024(members: Partial<JWK>): Promise<JWK> {
  const { publicKey } = await crypto.subtle.generateKey(
    { name: 'RSA-OAEP', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['encrypt', 'decrypt'],
  );
  const { kty, n, e } = (await crypto.subtle.exportKey('jwk', publicKey)) as JWK;
  return { kty, n, e, ...members } as JWK;
}
