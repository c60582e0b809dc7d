import { TestBed } from '@angular/core/testing';
import { SignJWT } from 'jose';
import { carriedHmacKey, pathOf, RequestLog } from './request-log';
import type { WireRequest } from './wire-request';

describe('RequestLog', () => {
  beforeEach(() => sessionStorage.clear());
  afterEach(() => sessionStorage.clear());

  const get = (authorization: string | null): WireRequest => ({
    method: 'GET',
    url: 'http://127.0.0.1/api/accounts',
    headers: authorization ? [['Authorization', authorization]] : [],
    body: null,
  });

  it('numbers requests, decodes ClientJWTs (only typ client+jwt), completes them with their response', async () => {
    const log = TestBed.inject(RequestLog);
    const key = crypto.getRandomValues(new Uint8Array(32));
    const clientJwt = await new SignJWT({ nonce: 7, hmac_key: 'eyJ' }).setProtectedHeader({ alg: 'HS256', typ: 'client+jwt', kid: 'k1' }).sign(key);
    const accessToken = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(key);

    const first = log.record(get(`Bearer ${clientJwt}`));
    const second = log.record(get(`Bearer ${accessToken}`));
    log.complete(first, { status: 200, statusText: 'OK', headers: [], body: { ok: true } });
    expect([first, second]).toEqual([1, 2]);
    expect(log.find(1)?.clientJwt?.header).toEqual({ alg: 'HS256', typ: 'client+jwt', kid: 'k1' });
    expect(log.find(1)?.clientJwt?.payload['nonce']).toBe(7);
    expect(log.find(1)?.response?.status).toBe(200);
    expect(log.find(2)?.clientJwt).withContext('a bare access token is not a ClientJWT').toBeNull();
    expect(log.signed().map((e) => e.id)).toEqual([1]);
    expect(log.exchanges().map(carriedHmacKey)).toEqual([true, false]);
  });

  it('finds the newest request to a path sent after a given entry', () => {
    const log = TestBed.inject(RequestLog);
    expect(log.lastId()).toBe(0);
    log.record(get(null));
    log.record({ ...get(null), url: 'http://127.0.0.1/api/pin?x=1' });
    log.record(get(null));
    expect(log.exchanges().map(pathOf)).toEqual(['/api/accounts', '/api/pin', '/api/accounts']);
    expect(log.lastId()).toBe(3);
    expect(log.lastTo('/api/accounts')?.id).toBe(3);
    expect(log.lastTo('/api/pin', 1)?.id).toBe(2);
    expect(log.lastTo('/api/pin', 2)).toBeNull();
  });

  it('survives a reload (sessionStorage) and is emptied by clear()', () => {
    TestBed.inject(RequestLog).record(get(null));
    TestBed.resetTestingModule();
    const reloaded = TestBed.inject(RequestLog);
    expect(reloaded.exchanges().length).toBe(1);
    reloaded.clear();
    expect(reloaded.exchanges()).toEqual([]);
    expect(JSON.parse(sessionStorage.getItem('pop-showcase.request-log') ?? 'null')).toEqual([]);
  });
});
