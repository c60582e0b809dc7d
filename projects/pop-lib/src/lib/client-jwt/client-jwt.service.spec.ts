import { TestBed } from '@angular/core/testing';
import { decodeProtectedHeader } from 'jose';
import { MAX_ACCESS_TOKEN_LENGTH } from '../../protocol';
import { providePop } from '../config/provide-pop';
import { isPopError, PopError } from '../errors/pop-error';
import { KeyRequest, KeyResolverService, ResolvedKey } from '../keys/key-resolver.service';
import { POP_CLOCK } from '../keys/pop-clock';
import { decodeClientJwt, makeServerKey, openHmacKey, TestServerKey, verifyClientJwt } from '../testing/resource-server-keys';
import { codeOf } from '../testing/errors';
import { deleteDb, freshDbName } from '../testing/indexed-db';
import { makeJwt } from '../testing/tokens';
import { ClientJwtService } from './client-jwt.service';
import { MemoryHmacKeyStore } from './memory-hmac-key-store';
import { POP_HMAC_KEY_DB_NAME, POP_HMAC_KEY_STORE } from './pop-hmac-key-store';
import { TimestampGenerator } from './timestamp-generator';

const BANK = 'https://bank.example/api';
const ACCOUNTS = `${BANK}/accounts?page=1#x`;

describe('ClientJwtService', () => {
  let server: TestServerKey;
  let resolve: jasmine.Spy<(request: KeyRequest) => Promise<ResolvedKey>>;
  let service: ClientJwtService;
  let accessToken: string;
  let now: number;
  let dbName: string;

  function setUp(lifetimeSeconds?: number, maxSecretBytes?: number): void {
    TestBed.configureTestingModule({
      providers: [
        providePop({
          resourceServers: [{ baseUrl: BANK }, { baseUrl: 'https://idp.example', clientJwt: false }],
          ...(lifetimeSeconds === undefined ? {} : { clientJwt: { lifetimeSeconds } }),
          ...(maxSecretBytes === undefined ? {} : { credentials: { maxSecretBytes } }),
        }),
        { provide: KeyResolverService, useValue: { resolve } },
        { provide: POP_CLOCK, useValue: () => now },
        { provide: POP_HMAC_KEY_DB_NAME, useValue: dbName },
      ],
    });
    service = TestBed.inject(ClientJwtService);
  }

  beforeEach(async () => {
    dbName = freshDbName();
    now = Date.UTC(2026, 10, 22, 12, 0, 0, 500);
    server = await makeServerKey(BANK);
    resolve = jasmine.createSpy('resolve').and.callFake(() => Promise.resolve(server.resolved));
    accessToken = await makeJwt({ sub: 'alice', aud: 'bank' });
  });

  afterEach(async () => {
    TestBed.resetTestingModule();
    await deleteDb(dbName);
  });

  it('signs a ClientJWT the server can open: hmac_key decrypts with its private key and verifies the signature', async () => {
    setUp();
    const signed = await service.sign({ method: 'GET', url: ACCOUNTS, accessToken });
    expect(signed.withHmacKey).toBeTrue();
    expect(signed.baseUrl).toBe(BANK);
    const { header, claims } = decodeClientJwt(signed.jwt);
    expect(header).toEqual({ alg: 'HS256', typ: 'client+jwt', kid: signed.kid });
    const hmacJwk = await openHmacKey(claims['hmac_key'] as string, server.privateKey);
    expect(hmacJwk).toEqual({ kty: 'oct', alg: 'HS256', kid: signed.kid, k: jasmine.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const verified = await verifyClientJwt(signed.jwt, hmacJwk);
    expect(verified['access_token']).toBe(accessToken);
    expect(verified['htm']).toBe('GET');
    expect(verified['htu']).toBe(`${BANK}/accounts`);
    expect(verified['timestamp']).toBe(now);
    expect(verified['exp']).toBe(Math.floor(now / 1000) + 30);
    // The JWE names the server key so the server can pick it during rotation.
    expect(decodeProtectedHeader(claims['hmac_key'] as string)).toEqual(jasmine.objectContaining({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'bank-enc-1' }));
    expect('zip' in decodeProtectedHeader(claims['hmac_key'] as string)).toBeFalse();
  });

  it('signs even when user secrets are limited below the size of an HMAC JWK (the limit is for user secrets)', async () => {
    setUp(undefined, 16);
    const signed = await service.sign({ method: 'GET', url: ACCOUNTS, accessToken });
    const hmacJwk = await openHmacKey(decodeClientJwt(signed.jwt).claims['hmac_key'] as string, server.privateKey);
    expect(await verifyClientJwt(signed.jwt, hmacJwk)).toEqual(jasmine.objectContaining({ access_token: accessToken }));
  });

  it('refuses to wrap an access token longer than the protocol allows, before any key work', async () => {
    setUp();
    expect(await codeOf(() => service.sign({ method: 'GET', url: ACCOUNTS, accessToken: 'a'.repeat(MAX_ACCESS_TOKEN_LENGTH + 1) }))).toBe('token_too_large');
    expect(await codeOf(() => service.sign({ method: 'GET', url: ACCOUNTS, accessToken: 'a'.repeat(MAX_ACCESS_TOKEN_LENGTH) }))).toBe('accepted');
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it('resolves the server key with the token, so cnf and claim hints are used', async () => {
    setUp();
    await service.sign({ method: 'GET', url: ACCOUNTS, accessToken });
    expect(resolve).toHaveBeenCalledOnceWith({ url: ACCOUNTS, oAuthToken: accessToken });
    const wrapper = { access_token: accessToken, res_pub_key: server.publicJwk };
    await service.clear();
    await service.sign({ method: 'GET', url: ACCOUNTS, accessToken, oAuthToken: wrapper });
    expect(resolve.calls.mostRecent().args[0]).toEqual({ url: ACCOUNTS, oAuthToken: wrapper });
  });

  it('sends hmac_key until accepted, then not, and again after markUnregistered', async () => {
    setUp();
    const first = await service.sign({ method: 'GET', url: ACCOUNTS, accessToken });
    const second = await service.sign({ method: 'GET', url: ACCOUNTS, accessToken });
    expect(second.withHmacKey).toBeTrue();
    service.markAccepted(first);
    const third = await service.sign({ method: 'GET', url: ACCOUNTS, accessToken });
    expect(third.withHmacKey).toBeFalse();
    expect('hmac_key' in decodeClientJwt(third.jwt).claims).toBeFalse();
    expect(third.kid).toBe(first.kid);
    service.markUnregistered(third);
    const fourth = await service.sign({ method: 'GET', url: ACCOUNTS, accessToken });
    expect(fourth.withHmacKey).toBeTrue();
    expect(fourth.kid).toBe(first.kid);
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it('gives parallel first requests one key, each carrying hmac_key, and different nonces', async () => {
    setUp();
    const all = await Promise.all([1, 2, 3].map(() => service.sign({ method: 'GET', url: ACCOUNTS, accessToken })));
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(new Set(all.map((s) => s.kid)).size).toBe(1);
    expect(all.every((s) => s.withHmacKey)).toBeTrue();
    expect(new Set(all.map((s) => decodeClientJwt(s.jwt).claims['nonce'])).size).toBe(3);
  });

  it('rotates the key when the access token changes, and ignores reports about the old key', async () => {
    setUp();
    const old = await service.sign({ method: 'GET', url: ACCOUNTS, accessToken });
    service.markAccepted(old);
    const newToken = await makeJwt({ sub: 'alice', aud: 'bank', jti: 'second' });
    const rotated = await service.sign({ method: 'GET', url: ACCOUNTS, accessToken: newToken });
    expect(rotated.kid).not.toBe(old.kid);
    expect(rotated.withHmacKey).toBeTrue();
    const hmacJwk = await openHmacKey(decodeClientJwt(rotated.jwt).claims['hmac_key'] as string, server.privateKey);
    expect((await verifyClientJwt(rotated.jwt, hmacJwk))['access_token']).toBe(newToken);
    service.markAccepted(old);
    expect((await service.sign({ method: 'GET', url: ACCOUNTS, accessToken: newToken })).withHmacKey).toBeTrue();
  });

  it('uses the configured lifetime and the server\'s clock offset', async () => {
    setUp(90);
    TestBed.inject(TimestampGenerator).observeServerDate(BANK, new Date(now + 60_000).toUTCString(), now - 10, now);
    const signed = await service.sign({ method: 'PUT', url: ACCOUNTS, accessToken });
    const { claims } = decodeClientJwt(signed.jwt);
    const timestamp = claims['timestamp'] as number;
    expect(Math.abs(timestamp - (now + 60_000))).toBeLessThan(1000);
    expect(claims['exp']).toBe(Math.floor(timestamp / 1000) + 90);
    expect(claims['htm']).toBe('PUT');
  });

  it('refuses URLs of unconfigured servers or servers with ClientJWTs off', async () => {
    setUp();
    for (const url of ['https://evil.example/api/x', 'https://idp.example/token', 'https://bank.example/apix']) {
      const error = await service.sign({ method: 'GET', url, accessToken }).catch((e: unknown) => e);
      expect(isPopError(error, 'no_resource_server')).withContext(url).toBeTrue();
    }
    expect(resolve).not.toHaveBeenCalled();
  });

  it('rejects a malformed access token before any key work', async () => {
    setUp();
    const error = await service.sign({ method: 'GET', url: ACCOUNTS, accessToken: 'two words' }).catch((e: unknown) => e);
    expect(isPopError(error, 'token_malformed')).toBeTrue();
    expect(resolve).not.toHaveBeenCalled();
  });

  it('passes the resolver\'s typed error on, and tries again next time', async () => {
    setUp();
    resolve.and.callFake(() => Promise.reject(new PopError('key_not_found', 'no key')));
    const error = await service.sign({ method: 'GET', url: ACCOUNTS, accessToken }).catch((e: unknown) => e);
    expect(isPopError(error, 'key_not_found')).toBeTrue();
    resolve.and.callFake(() => Promise.resolve(server.resolved));
    await expectAsync(service.sign({ method: 'GET', url: ACCOUNTS, accessToken })).toBeResolved();
    expect(resolve).toHaveBeenCalledTimes(2);
  });

  it('turns an untyped failure while setting up the key into signing_failed', async () => {
    setUp();
    resolve.and.callFake(() => Promise.reject(new TypeError('boom')));
    const error = await service.sign({ method: 'GET', url: ACCOUNTS, accessToken }).catch((e: unknown) => e);
    expect(isPopError(error, 'signing_failed')).toBeTrue();
    expect((error as PopError).cause).toEqual(jasmine.any(TypeError));
  });

  it('fails with the encryption\'s typed error when the resolved key is not allowed, never signing without hmac_key', async () => {
    setUp();
    const disallowed = { ...server.resolved, alg: 'RSA1_5' } as unknown as ResolvedKey;
    resolve.and.returnValue(Promise.resolve(disallowed));
    const error = await service.sign({ method: 'GET', url: ACCOUNTS, accessToken }).catch((e: unknown) => e);
    expect(isPopError(error, 'key_unsupported')).toBeTrue();
  });

  it('keeps the per-request path off the key store: one read per token, one write per acceptance', async () => {
    const store = new MemoryHmacKeyStore(() => now);
    const getOrCreate = spyOn(store, 'getOrCreate').and.callThrough();
    const setRegistered = spyOn(store, 'setRegistered').and.callThrough();
    TestBed.overrideProvider(POP_HMAC_KEY_STORE, { useValue: store });
    setUp();
    const all = await Promise.all([1, 2, 3].map(() => service.sign({ method: 'GET', url: ACCOUNTS, accessToken })));
    for (const signed of all) service.markAccepted(signed);
    for (let i = 0; i < 5; i++) service.markAccepted(await service.sign({ method: 'GET', url: ACCOUNTS, accessToken }));
    expect(getOrCreate).toHaveBeenCalledTimes(1);
    expect(setRegistered).toHaveBeenCalledTimes(1);
    service.markUnregistered(all[0] as never);
    expect(setRegistered).toHaveBeenCalledTimes(2);
    expect(setRegistered.calls.mostRecent().args.slice(1)).toEqual([all[0]?.kid as string, false]);
  });

  it('reports where keys are kept: IndexedDB in a browser that has it', async () => {
    setUp();
    expect(await service.keyStorage()).toBe('indexeddb');
  });
});
