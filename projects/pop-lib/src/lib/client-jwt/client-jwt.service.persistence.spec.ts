import { EnvironmentInjector, PLATFORM_ID } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { base64url } from 'jose';
import { providePop } from '../config/provide-pop';
import { KeyRequest, KeyResolverService, ResolvedKey } from '../keys/key-resolver.service';
import { POP_CLOCK } from '../keys/pop-clock';
import { openTab } from '../testing/browser-tabs';
import { deleteDb, freshDbName, putRaw, rawRecords } from '../testing/indexed-db';
import { decodeClientJwt, makeServerKey, openHmacKey, TestServerKey, verifyClientJwt } from '../testing/resource-server-keys';
import { makeJwt } from '../testing/tokens';
import { ClientJwtService } from './client-jwt.service';
import { HmacKeyRecord } from './hmac-key-record';
import { MemoryHmacKeyStore } from './memory-hmac-key-store';
import { POP_HMAC_KEY_DB_NAME, POP_HMAC_KEY_STORE } from './pop-hmac-key-store';

const BANK = 'https://bank.example/api';
const ACCOUNTS = `${BANK}/accounts`;

describe('ClientJwtService across reloads and tabs', () => {
  let name: string;
  let server: TestServerKey;
  let resolve: jasmine.Spy<(request: KeyRequest) => Promise<ResolvedKey>>;
  let accessToken: string;
  let now: number;

  /** The app's injector; called again after `TestBed.resetTestingModule()` it is the reloaded page. */
  function load(extraProviders: unknown[] = []): ClientJwtService {
    TestBed.configureTestingModule({
      providers: [
        providePop({ resourceServers: [{ baseUrl: BANK }] }),
        { provide: KeyResolverService, useValue: { resolve } },
        { provide: POP_CLOCK, useValue: () => now },
        { provide: POP_HMAC_KEY_DB_NAME, useValue: name },
        ...(extraProviders as never[]),
      ],
    });
    return TestBed.inject(ClientJwtService);
  }

  function reload(extraProviders: unknown[] = []): ClientJwtService {
    TestBed.resetTestingModule();
    return load(extraProviders);
  }

  function sign(service: ClientJwtService, token = accessToken) {
    return service.sign({ method: 'GET', url: ACCOUNTS, accessToken: token });
  }

  async function storedRecords(): Promise<(HmacKeyRecord & { server: string; tokenHash: string })[]> {
    return (await rawRecords(name)).values as (HmacKeyRecord & { server: string; tokenHash: string })[];
  }

  /** Waits (bounded) for a write the service makes in the background. */
  async function until(condition: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (await condition()) return;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('condition not reached');
  }

  beforeEach(async () => {
    name = freshDbName();
    now = Date.UTC(2026, 10, 22, 12);
    server = await makeServerKey(BANK);
    resolve = jasmine.createSpy('resolve').and.callFake(() => Promise.resolve(server.resolved));
    accessToken = await makeJwt({ sub: 'alice', exp: now / 1000 + 3600 });
  });

  afterEach(async () => {
    TestBed.resetTestingModule();
    await deleteDb(name);
  });

  it('keeps the key across a reload: same kid, no new key, and the server\'s acceptance', async () => {
    const first = await sign(load());
    const hmacJwk = await openHmacKey(decodeClientJwt(first.jwt).claims['hmac_key'] as string, server.privateKey);
    TestBed.inject(ClientJwtService).markAccepted(first);
    await until(async () => (await storedRecords())[0]?.registered === true);

    const afterReload = await sign(reload());
    expect(afterReload.kid).toBe(first.kid);
    expect(afterReload.withHmacKey).toBeFalse();
    // The server verifies the reloaded page's ClientJWT with the key it registered before.
    expect((await verifyClientJwt(afterReload.jwt, hmacJwk))['access_token']).toBe(accessToken);
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it('shares the key with a new tab', async () => {
    const first = await sign(load());
    const tab = openTab(TestBed.inject(EnvironmentInjector));
    const inTab = await sign(tab.clientJwt);
    expect(inTab.kid).toBe(first.kid);
    expect(resolve).toHaveBeenCalledTimes(1);
    tab.close();
  });

  it('gives two tabs opening at once one key', async () => {
    resolve.and.callFake(() => new Promise((r) => setTimeout(() => r(server.resolved), 30)));
    const service = load();
    const tab = openTab(TestBed.inject(EnvironmentInjector));
    const [a, b] = await Promise.all([sign(service), sign(tab.clientJwt)]);
    expect(a.kid).toBe(b.kid);
    expect(resolve).toHaveBeenCalledTimes(1);
    expect((await storedRecords()).length).toBe(1);
    tab.close();
  });

  it('clear() (logout) removes the stored key: a reload or a new tab makes a new one', async () => {
    const service = load();
    const first = await sign(service);
    await service.clear();
    expect(await storedRecords()).toEqual([]);
    const tab = openTab(TestBed.inject(EnvironmentInjector));
    expect((await sign(tab.clientJwt)).kid).not.toBe(first.kid);
    tab.close();
    expect(resolve).toHaveBeenCalledTimes(2);
  });

  it('stores only the SHA-256 of the access token, never the token or a part of it', async () => {
    await sign(load());
    const [record] = await storedRecords();
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
    expect(record?.tokenHash).toBe(base64url.encode(new Uint8Array(digest)));
    expect(record?.server).toBe(BANK);
    const { keys } = await rawRecords(name);
    const text = JSON.stringify({ keys, record: { ...record, signingKey: undefined } });
    for (const part of [accessToken, ...accessToken.split('.')]) expect(text).not.toContain(part);
  });

  it('stores the signing key non-extractable: script reading IndexedDB cannot take it away', async () => {
    await sign(load());
    const [record] = await storedRecords();
    expect(record?.signingKey).toEqual(jasmine.any(CryptoKey));
    expect(record?.signingKey.extractable).toBeFalse();
    for (const format of ['raw', 'jwk'] as const) {
      await expectAsync(crypto.subtle.exportKey(format, record?.signingKey as CryptoKey)).withContext(format).toBeRejected();
    }
  });

  it('keeps one key per token: another token gets its own, and going back reuses the first', async () => {
    const service = load();
    const other = await makeJwt({ sub: 'alice', jti: 'second', exp: now / 1000 + 3600 });
    const a1 = await sign(service);
    const b = await sign(service, other);
    const a2 = await sign(service, accessToken);
    expect(b.kid).not.toBe(a1.kid);
    expect(a2.kid).toBe(a1.kid);
    expect(resolve).toHaveBeenCalledTimes(2);
  });

  it('dropKey removes the stored key: the next request for that token makes a new one', async () => {
    const service = load();
    const first = await sign(service);
    await service.dropKey(first);
    expect(await storedRecords()).toEqual([]);
    const next = await sign(service);
    expect(next.kid).not.toBe(first.kid);
    expect(next.withHmacKey).toBeTrue();
  });

  it('does not reuse a key after its record expired (the token\'s exp)', async () => {
    const first = await sign(load());
    now += 3600_000;
    expect((await sign(reload())).kid).not.toBe(first.kid);
  });

  it('never signs with a planted record\'s extractable key: it makes its own', async () => {
    const service = load();
    // Opens the database and creates the object store.
    await sign(service, await makeJwt({ sub: 'someone-else' }));
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
    const known = await crypto.subtle.importKey('raw', new Uint8Array(32), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
    await putRaw(name, { server: BANK, tokenHash: base64url.encode(new Uint8Array(digest)), signingKey: known, kid: 'planted', hmacKeyJwe: 'a.b.c.d.e', registered: true, expiresAt: now + 60_000 });
    const signed = await sign(service);
    expect(signed.kid).not.toBe('planted');
    const hmacJwk = await openHmacKey(decodeClientJwt(signed.jwt).claims['hmac_key'] as string, server.privateKey);
    await expectAsync(verifyClientJwt(signed.jwt, hmacJwk)).toBeResolved();
  });

  it('stores nothing when the key cannot be set up, so a reload tries again', async () => {
    resolve.and.callFake(() => Promise.reject(new Error('offline')));
    await expectAsync(sign(load())).toBeRejected();
    expect((await rawRecords(name)).values).toEqual([]);
    resolve.and.callFake(() => Promise.resolve(server.resolved));
    await expectAsync(sign(reload())).toBeResolved();
  });

  it('with the memory fallback, a reload makes a new key (the server then refuses it for a bound token)', async () => {
    const memory = [{ provide: POP_HMAC_KEY_STORE, useFactory: () => new MemoryHmacKeyStore() }];
    const service = load(memory);
    expect(await service.keyStorage()).toBe('memory');
    const first = await sign(service);
    expect((await sign(reload(memory))).kid).not.toBe(first.kid);
  });

  it('under server-side rendering, every render of the process signs a token with one key', async () => {
    const ssr = [{ provide: PLATFORM_ID, useValue: 'server' }];
    // The process-wide store runs on the real clock.
    now = Date.now();
    accessToken = await makeJwt({ sub: 'alice', exp: Math.floor(now / 1000) + 3600 });
    const first = await sign(load(ssr));
    const second = await sign(reload(ssr));
    expect(second.kid).toBe(first.kid);
    expect(await TestBed.inject(ClientJwtService).keyStorage()).toBe('memory');
    await TestBed.inject(ClientJwtService).dropKey(second);
  });
});
