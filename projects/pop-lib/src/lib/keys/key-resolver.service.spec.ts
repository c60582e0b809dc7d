import { DOCUMENT } from '@angular/common';
import { HttpResponse, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { exportSPKI, generateKeyPair } from 'jose';
import { keycloakKey, pemKey } from 'pop-lib/pem';
import { providePop } from '../config/provide-pop';
import { PopConfig } from '../config/pop-config';
import { isPopError } from '../errors/pop-error';
import { POP_BYPASS } from '../http/pop-http-context';
import { KEY_SETUP_LOADER, loadKeySetup } from '../key-setup/load-key-setup';
import { jwksBody, publicEncryptionJwk } from '../testing/keys';
import { makeJwt } from '../testing/tokens';
import { KeyRequest, KeyResolverService } from './key-resolver.service';
import { POP_CLOCK } from './pop-clock';

const BANK = 'https://bank.example/api';
const BANK_JWKS = `${BANK}/pop-keys.json`;

describe('KeyResolverService', () => {
  let now: number;
  let http: HttpTestingController;

  function setup(config: Partial<PopConfig> = {}): KeyResolverService {
    now = 1_000_000;
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        providePop({ resourceServers: [{ baseUrl: BANK }], ...config }),
        { provide: POP_CLOCK, useValue: () => now },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    return TestBed.inject(KeyResolverService);
  }

  afterEach(() => http?.verify());

  /** Lets the resolver's awaits run until it has issued its request, then answers it. */
  async function answer(url: string, body: string, headers: Record<string, string> = {}): Promise<TestRequest> {
    const req = await expectRequest(url);
    req.flush(body, { headers });
    return req;
  }

  async function expectRequest(url: string): Promise<TestRequest> {
    for (let i = 0; i < 50; i++) {
      const pending = http.match(url);
      if (pending.length > 0) {
        expect(pending.length).withContext(`requests to ${url}`).toBe(1);
        return pending[0] as TestRequest;
      }
      await new Promise((r) => setTimeout(r, 0));
    }
    throw new Error(`no request to ${url}`);
  }

  async function codeOf(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (e) {
      return isPopError(e) ? e.code : `not a PopError: ${String(e)}`;
    }
    return 'resolved';
  }

  describe('sources, first hit wins', () => {
    it('4: fetches {baseUrl}/pop-keys.json when nothing else is known', async () => {
      const resolver = setup();
      const jwk = await publicEncryptionJwk({ kid: 'bank-1', use: 'enc' });
      const pending = resolver.resolve({ url: `${BANK}/pin` });
      const req = await answer(BANK_JWKS, jwksBody(jwk));
      const key = await pending;
      expect(key.source).toBe('jwks');
      expect(key.baseUrl).toBe(BANK);
      expect(key.kid).toBe('bank-1');
      expect(key.alg).toBe('ECDH-ES+A256KW');
      expect(key.key.type).toBe('public');
      expect(key.jwk.x).toBe(jwk.x);
      expect(req.request.method).toBe('GET');
      expect(req.request.context.get(POP_BYPASS)).toBeTrue();
      expect(req.request.withCredentials).toBeFalse();
      expect(req.request.credentials).toBe('omit');
      expect(req.request.redirect).toBe('error');
    });

    it('3: uses the configured key rather than fetching', async () => {
      const jwk = await publicEncryptionJwk({ kid: 'static' });
      const resolver = setup({ resourceServers: [{ baseUrl: BANK, key: { jwk } }] });
      const key = await resolver.resolve({ url: `${BANK}/pin` });
      expect(key.source).toBe('config');
      expect(key.kid).toBe('static');
    });

    it('3: reads a configured PEM and a keycloak.json', async () => {
      const { publicKey } = await generateKeyPair('RSA-OAEP-256', { extractable: true });
      const pem = await exportSPKI(publicKey);
      const bare = pem.replace(/-----[A-Z ]+-----|\s/g, '');
      const resolver = setup({
        resourceServers: [
          { baseUrl: BANK, key: pemKey(pem) },
          { baseUrl: 'https://idp.example/realms/demo', key: keycloakKey({ realm: 'demo', 'realm-public-key': bare }) },
          { baseUrl: 'https://idp2.example', key: keycloakKey(JSON.stringify({ 'realm-public-key': bare })) },
        ],
      });
      const fromPem = await resolver.resolve({ url: `${BANK}/pin` });
      const fromKeycloak = await resolver.resolve({ url: 'https://idp.example/realms/demo/login' });
      const fromText = await resolver.resolve({ url: 'https://idp2.example/login' });
      expect(fromPem.source).toBe('config');
      expect(fromPem.alg).toBe('RSA-OAEP-256');
      expect(fromKeycloak.jwk.n).toBe(fromPem.jwk.n);
      expect(fromText.jwk.n).toBe(fromPem.jwk.n);
    });

    it('2: uses the res_pub_key claim before the JWKS of a server without a configured key', async () => {
      const claimed = await publicEncryptionJwk({ kid: 'claimed' });
      const resolver = setup();
      const token = await makeJwt({ sub: 'alice', res_pub_key: claimed });
      const key = await resolver.resolve({ url: `${BANK}/pin`, oAuthToken: token });
      expect(key.source).toBe('claim');
      expect(key.kid).toBe('claimed');
      http.expectNone(BANK_JWKS);
    });

    it('2: reads the wrapper before the access token, and honours a configured claim name', async () => {
      const outer = await publicEncryptionJwk({ kid: 'outer' });
      const inner = await publicEncryptionJwk({ kid: 'inner' });
      const resolver = setup({ keyClaim: 'server_key' });
      const accessToken = await makeJwt({ sub: 'alice', server_key: inner });
      const wrapper = await makeJwt({ access_token: accessToken, server_key: outer });
      expect((await resolver.resolve({ url: BANK, oAuthToken: wrapper })).kid).toBe('outer');
      expect((await resolver.resolve({ url: BANK, oAuthToken: accessToken })).kid).toBe('inner');
      expect((await resolver.resolve({ url: BANK, oAuthToken: { access_token: accessToken, server_key: outer } })).kid).toBe('outer');
    });

    it('1: prefers cnf.jwk to every other source', async () => {
      const cnfKey = await publicEncryptionJwk({ kid: 'cnf' });
      const claimed = await publicEncryptionJwk({ kid: 'claimed' });
      const resolver = setup();
      const token = await makeJwt({ cnf: { jwk: cnfKey }, res_pub_key: claimed });
      const key = await resolver.resolve({ url: BANK, oAuthToken: token });
      expect(key.source).toBe('cnf.jwk');
      expect(key.kid).toBe('cnf');
    });

    it('1: fetches cnf.jku and picks cnf.kid', async () => {
      const resolver = setup();
      const a = await publicEncryptionJwk({ kid: 'a', use: 'enc' });
      const b = await publicEncryptionJwk({ kid: 'b', use: 'enc' });
      const token = await makeJwt({ cnf: { jku: 'https://bank.example/keys/other.json', kid: 'b' } });
      const pending = resolver.resolve({ url: BANK, oAuthToken: token });
      await answer('https://bank.example/keys/other.json', jwksBody(a, b));
      const key = await pending;
      expect(key.source).toBe('cnf.jku');
      expect(key.kid).toBe('b');
    });

    it('useCnfClaim: false skips cnf', async () => {
      const cnfKey = await publicEncryptionJwk({ kid: 'cnf' });
      const claimed = await publicEncryptionJwk({ kid: 'claimed' });
      const resolver = setup({ useCnfClaim: false });
      const token = await makeJwt({ cnf: { jwk: cnfKey }, res_pub_key: claimed });
      expect((await resolver.resolve({ url: BANK, oAuthToken: token })).source).toBe('claim');
    });

    it('asks the token provider when the request carries no token, with the resource server', async () => {
      const cnfKey = await publicEncryptionJwk({ kid: 'cnf' });
      const token = await makeJwt({ cnf: { jwk: cnfKey } });
      const provider = jasmine.createSpy('tokenProvider').and.resolveTo({ access_token: token });
      const resolver = setup({ tokenProvider: provider });
      expect((await resolver.resolve({ url: `${BANK}/x` })).source).toBe('cnf.jwk');
      expect(provider).toHaveBeenCalledWith(jasmine.objectContaining({ baseUrl: BANK }));
    });

    it('an explicit null token means no token, even with a provider', async () => {
      const cnfKey = await publicEncryptionJwk({ kid: 'cnf' });
      const token = await makeJwt({ cnf: { jwk: cnfKey } });
      const resolver = setup({ tokenProvider: () => token, resourceServers: [{ baseUrl: BANK, key: { jwk: await publicEncryptionJwk() } }] });
      expect((await resolver.resolve({ url: BANK, oAuthToken: null })).source).toBe('config');
    });
  });

  describe('a configured key pins its server (attack: a token that names the attacker\'s key)', () => {
    const OTHER = 'https://other.example/api';

    async function pinnedSetup(extra: Partial<PopConfig> = {}): Promise<{ resolver: KeyResolverService; configuredX: string }> {
      const configured = await publicEncryptionJwk({ kid: 'configured' });
      const resolver = setup({ resourceServers: [{ baseUrl: BANK, key: { jwk: configured } }, { baseUrl: OTHER }], ...extra });
      return { resolver, configuredX: configured.x as string };
    }

    it('a token carrying res_pub_key (wrapper or access token): the configured key is used', async () => {
      const { resolver, configuredX } = await pinnedSetup();
      const attacker = await publicEncryptionJwk({ kid: 'attacker' });
      const accessToken = await makeJwt({ sub: 'alice', res_pub_key: attacker });
      for (const oAuthToken of [accessToken, await makeJwt({ access_token: accessToken, res_pub_key: attacker }), { access_token: accessToken, res_pub_key: attacker }]) {
        const key = await resolver.resolve({ url: `${BANK}/pin`, oAuthToken });
        expect(key.source).toBe('config');
        expect(key.kid).toBe('configured');
        expect(key.jwk.x).toBe(configuredX);
      }
    });

    it('a token carrying cnf.jwk: the configured key is used', async () => {
      const { resolver, configuredX } = await pinnedSetup();
      const token = await makeJwt({ cnf: { jwk: await publicEncryptionJwk({ kid: 'attacker' }) } });
      const key = await resolver.resolve({ url: `${BANK}/pin`, oAuthToken: token });
      expect(key.source).toBe('config');
      expect(key.jwk.x).toBe(configuredX);
    });

    it('a token carrying cnf.jku on an allowed origin: the configured key is used, nothing fetched', async () => {
      const { resolver } = await pinnedSetup();
      const token = await makeJwt({ cnf: { jku: 'https://other.example/api/pop-keys.json', kid: 'attacker' } });
      expect((await resolver.resolve({ url: BANK, oAuthToken: token })).source).toBe('config');
      http.expectNone(() => true);
    });

    it('a malformed cnf or key claim cannot break a pinned server, and the token provider is not asked', async () => {
      const provider = jasmine.createSpy('tokenProvider').and.returnValue(await makeJwt({ cnf: 'x', res_pub_key: 42 }));
      const { resolver } = await pinnedSetup({ tokenProvider: provider });
      expect((await resolver.resolve({ url: BANK })).source).toBe('config');
      expect((await resolver.resolve({ url: BANK, oAuthToken: 'a.b.c' })).source).toBe('config');
      expect(provider).not.toHaveBeenCalled();
    });

    it('an unpinned server in the same configuration still reads the token', async () => {
      const { resolver } = await pinnedSetup();
      const token = await makeJwt({ cnf: { jwk: await publicEncryptionJwk({ kid: 'cnf' }) } });
      const key = await resolver.resolve({ url: `${OTHER}/pin`, oAuthToken: token });
      expect(key.source).toBe('cnf.jwk');
      expect(key.kid).toBe('cnf');
    });
  });

  describe('claim sources switched off', () => {
    it('keyClaim: false ignores res_pub_key and fetches the JWKS', async () => {
      const resolver = setup({ keyClaim: false });
      const token = await makeJwt({ sub: 'alice', res_pub_key: await publicEncryptionJwk({ kid: 'attacker' }) });
      const pending = resolver.resolve({ url: `${BANK}/pin`, oAuthToken: token });
      await answer(BANK_JWKS, jwksBody(await publicEncryptionJwk({ kid: 'published' })));
      const key = await pending;
      expect(key.source).toBe('jwks');
      expect(key.kid).toBe('published');
    });

    it('keyClaim: false still reads cnf when useCnfClaim is on', async () => {
      const resolver = setup({ keyClaim: false });
      const token = await makeJwt({ cnf: { jwk: await publicEncryptionJwk({ kid: 'cnf' }) }, res_pub_key: 'garbage' });
      expect((await resolver.resolve({ url: BANK, oAuthToken: token })).source).toBe('cnf.jwk');
    });

    it('useCnfClaim: false does not fail on a malformed cnf (the source is off, not read)', async () => {
      const resolver = setup({ useCnfClaim: false });
      const token = await makeJwt({ cnf: { jwk: await publicEncryptionJwk(), jku: BANK_JWKS }, res_pub_key: await publicEncryptionJwk({ kid: 'claimed' }) });
      expect((await resolver.resolve({ url: BANK, oAuthToken: token })).kid).toBe('claimed');
    });

    it('both off: the token provider is not asked, only the JWKS counts', async () => {
      const provider = jasmine.createSpy('tokenProvider').and.returnValue('a.b.c');
      const resolver = setup({ keyClaim: false, useCnfClaim: false, tokenProvider: provider });
      const pending = resolver.resolve({ url: BANK, oAuthToken: 'not even a token' });
      await answer(BANK_JWKS, jwksBody(await publicEncryptionJwk({ kid: 'published' })));
      expect((await pending).source).toBe('jwks');
      expect((await resolver.resolve({ url: BANK })).kid).toBe('published');
      expect(provider).not.toHaveBeenCalled();
    });
  });

  describe('fetching and caching', () => {
    it('50 simultaneous resolves for a cold base URL cause exactly one HTTP request', async () => {
      const resolver = setup();
      const all = Array.from({ length: 50 }, (_, i) => resolver.resolve({ url: `${BANK}/pin/${i}` }));
      await answer(BANK_JWKS, jwksBody(await publicEncryptionJwk({ kid: 'k' })));
      const keys = await Promise.all(all);
      expect(keys.every((k) => k.kid === 'k' && k.source === 'jwks')).toBeTrue();
      expect(new Set(keys.map((k) => k.key)).size).toBe(1);
      // Warm: no further request.
      expect((await resolver.resolve({ url: BANK })).kid).toBe('k');
      http.expectNone(BANK_JWKS);
    });

    it('resolves a relative baseUrl and its pop-keys.json against the page', async () => {
      const resolver = setup({ resourceServers: [{ baseUrl: '/api' }] });
      const page = new URL(document.baseURI);
      const pending = resolver.resolve({ url: '/api/pin' });
      await answer(`${page.origin}/api/pop-keys.json`, jwksBody(await publicEncryptionJwk({ kid: 'rel' })));
      const key = await pending;
      expect(key.kid).toBe('rel');
      expect(key.baseUrl).toBe('/api');
    });

    it('allows a cnf.jku on the page origin for a relative baseUrl by default', async () => {
      const resolver = setup({ resourceServers: [{ baseUrl: '/api' }] });
      const jku = `${new URL(document.baseURI).origin}/api/pop-keys.json`;
      const token = await makeJwt({ cnf: { jku, kid: 'j' } });
      const pending = resolver.resolve({ url: '/api/pin', oAuthToken: token });
      await answer(jku, jwksBody(await publicEncryptionJwk({ kid: 'j' })));
      expect((await pending).source).toBe('cnf.jku');
    });

    it('refuses to fetch keys over plain http from a non-loopback page', async () => {
      TestBed.overrideProvider(DOCUMENT, { useValue: { baseURI: 'http://intranet.example/app/' } });
      const resolver = setup({ resourceServers: [{ baseUrl: '/api' }] });
      const error = await resolver.resolve({ url: '/api/pin' }).catch((e: unknown) => e);
      expect(isPopError(error, 'jwks_fetch_failed')).toBeTrue();
      expect((error as Error).message).toContain('http://intranet.example/api/pop-keys.json');
      http.expectNone(() => true);
    });

    it('keeps JWKS URLs apart for pages whose base URLs share a prefix', async () => {
      // Relative baseUrls follow the page as it navigates (no <base> element).
      let base = 'http://127.0.0.1:4200/a/b/';
      const doc = { get baseURI() { return base; } };
      TestBed.overrideProvider(DOCUMENT, { useValue: doc });
      const resolver = setup({ resourceServers: [{ baseUrl: 'x' }], tokenProvider: () => null });
      const jwk = await publicEncryptionJwk({ kid: 'k' });
      let pending = resolver.resolve({ url: 'http://127.0.0.1:4200/a/b/x/pin' });
      await answer('http://127.0.0.1:4200/a/b/x/pop-keys.json', jwksBody(jwk));
      await pending;
      base = 'http://127.0.0.1:4200/a';
      pending = resolver.resolve({ url: 'http://127.0.0.1:4200/x/pin' });
      await answer('http://127.0.0.1:4200/x/pop-keys.json', jwksBody(jwk));
      expect((await pending).kid).toBe('k');
    });

    it('uses a configured jwksUrl instead of {baseUrl}/pop-keys.json', async () => {
      const resolver = setup({ resourceServers: [{ baseUrl: BANK, jwksUrl: 'https://keys.bank.example/jwks.json' }] });
      const pending = resolver.resolve({ url: BANK });
      await answer('https://keys.bank.example/jwks.json', jwksBody(await publicEncryptionJwk({ kid: 'custom' })));
      expect((await pending).kid).toBe('custom');
    });

    it('with allowedJkuOrigins, only those origins are allowed (not the configured servers)', async () => {
      const resolver = setup({ resourceServers: [{ baseUrl: BANK, allowedJkuOrigins: ['https://keys.example'] }] });
      const own = await makeJwt({ cnf: { jku: BANK_JWKS } });
      expect(await codeOf(resolver.resolve({ url: BANK, oAuthToken: own }))).toBe('jku_not_allowed');
      const listed = await makeJwt({ cnf: { jku: 'https://keys.example/pop-keys.json' } });
      const pending = resolver.resolve({ url: BANK, oAuthToken: listed });
      await answer('https://keys.example/pop-keys.json', jwksBody(await publicEncryptionJwk({ kid: 'x' })));
      expect((await pending).kid).toBe('x');
    });

    it('imports a configured key once, and a token-borne key once per distinct key', async () => {
      const shop = 'https://shop.example';
      const resolver = setup({ resourceServers: [{ baseUrl: BANK, key: { jwk: await publicEncryptionJwk() } }, { baseUrl: shop }] });
      const first = await resolver.resolve({ url: BANK });
      const second = await resolver.resolve({ url: `${BANK}/x` });
      expect(second.key).toBe(first.key);
      const token = await makeJwt({ cnf: { jwk: await publicEncryptionJwk() } });
      const t1 = await resolver.resolve({ url: shop, oAuthToken: token });
      const t2 = await resolver.resolve({ url: `${shop}/x`, oAuthToken: token });
      expect(t2.key).toBe(t1.key);
      expect(t1.key).not.toBe(first.key);
    });

    it('reports a bad configured key each time, without caching the failure as a key', async () => {
      const resolver = setup({ resourceServers: [{ baseUrl: BANK, key: pemKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----') }] });
      expect(await codeOf(resolver.resolve({ url: BANK }))).toBe('pem_invalid');
      expect(await codeOf(resolver.resolve({ url: BANK }))).toBe('pem_invalid');
    });
  });

  describe('refusals', () => {
    it('reports a failed load of its code (loaded on first use) as load_failed, and loads it on the next call', async () => {
      let blocked = true;
      TestBed.overrideProvider(KEY_SETUP_LOADER, {
        useValue: { loaded: () => undefined, load: () => (blocked ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : loadKeySetup()) },
      });
      const jwk = await publicEncryptionJwk({ kid: 'static' });
      const resolver = setup({ resourceServers: [{ baseUrl: BANK, key: { jwk } }] });
      expect(await codeOf(resolver.resolve({ url: `${BANK}/pin` }))).toBe('load_failed');
      blocked = false;
      expect((await resolver.resolve({ url: `${BANK}/pin` })).kid).toBe('static');
    });

    it('rejects a URL outside every configured resource server', async () => {
      const resolver = setup();
      expect(await codeOf(resolver.resolve({ url: 'https://evil.example/api' }))).toBe('no_resource_server');
      expect(await codeOf(resolver.resolve({ url: 'https://bank.example/apix' }))).toBe('no_resource_server');
    });

    it('rejects a use other than enc', async () => {
      const resolver = setup();
      const request = { url: BANK, use: 'sig' } as unknown as KeyRequest;
      expect(await codeOf(resolver.resolve(request))).toBe('key_use_mismatch');
    });

    it('rejects cnf with both jwk and jku, and a cnf that is not an object', async () => {
      const resolver = setup();
      const jwk = await publicEncryptionJwk();
      const both = await makeJwt({ cnf: { jwk, jku: `${BANK}/pop-keys.json` } });
      expect(await codeOf(resolver.resolve({ url: BANK, oAuthToken: both }))).toBe('cnf_invalid');
      const text = await makeJwt({ cnf: 'x' });
      expect(await codeOf(resolver.resolve({ url: BANK, oAuthToken: text }))).toBe('cnf_invalid');
    });

    it('never falls back from an unusable cnf.jwk to another source', async () => {
      const resolver = setup();
      const sig = await publicEncryptionJwk({ use: 'sig' });
      const token = await makeJwt({ cnf: { jwk: sig }, res_pub_key: await publicEncryptionJwk() });
      expect(await codeOf(resolver.resolve({ url: BANK, oAuthToken: token }))).toBe('key_use_mismatch');
      http.expectNone(BANK_JWKS);
    });

    it('refuses a cnf.jku on a foreign origin without fetching', async () => {
      const resolver = setup();
      const token = await makeJwt({ cnf: { jku: 'https://evil.example/pop-keys.json' } });
      const error = await resolver.resolve({ url: BANK, oAuthToken: token }).catch((e: unknown) => e);
      expect(isPopError(error, 'jku_not_allowed')).toBeTrue();
      expect((error as Error).message).toContain('https://evil.example/pop-keys.json');
      http.expectNone(() => true);
    });

    it('refuses a cnf.jku over http on a non-loopback host, even when its origin is allowed', async () => {
      const resolver = setup({ resourceServers: [{ baseUrl: BANK, allowedJkuOrigins: ['https://keys.example'] }] });
      const token = await makeJwt({ cnf: { jku: 'http://keys.example/pop-keys.json' } });
      expect(await codeOf(resolver.resolve({ url: BANK, oAuthToken: token }))).toBe('jku_not_allowed');
      http.expectNone(() => true);
    });

    it('accepts a cnf.jku over http on loopback when its origin is allowed', async () => {
      const resolver = setup({ resourceServers: [{ baseUrl: 'http://127.0.0.1:4300/api' }] });
      const token = await makeJwt({ cnf: { jku: 'http://127.0.0.1:4300/api/pop-keys.json' } });
      const pending = resolver.resolve({ url: 'http://127.0.0.1:4300/api/pin', oAuthToken: token });
      await answer('http://127.0.0.1:4300/api/pop-keys.json', jwksBody(await publicEncryptionJwk({ kid: 'l' })));
      expect((await pending).source).toBe('cnf.jku');
    });

    it('refuses a JWKS whose final URL, after a redirect, is on another origin', async () => {
      const resolver = setup();
      const pending = resolver.resolve({ url: BANK });
      const req = await expectRequest(BANK_JWKS);
      // What the XHR backend reports after following a redirect: the final URL.
      req.event(new HttpResponse({ url: 'https://evil.example/pop-keys.json', status: 200, body: jwksBody(await publicEncryptionJwk()) }));
      const error = await pending.catch((e: unknown) => e);
      expect(isPopError(error, 'jwks_fetch_failed')).toBeTrue();
      expect((error as Error).message).toContain('https://evil.example/pop-keys.json');
    });
  });
});
