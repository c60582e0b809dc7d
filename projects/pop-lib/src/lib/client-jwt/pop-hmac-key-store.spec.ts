import { PLATFORM_ID } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { providePop } from '../config/provide-pop';
import { deleteDb, freshDbName } from '../testing/indexed-db';
import { HmacKeyRecord } from './hmac-key-record';
import { POP_HMAC_KEY_DB_NAME, POP_HMAC_KEY_STORE } from './pop-hmac-key-store';

describe('POP_HMAC_KEY_STORE', () => {
  const config = providePop({ resourceServers: [{ baseUrl: 'https://bank.example/api' }] });

  it('in a browser: IndexedDB, in the database POP_HMAC_KEY_DB_NAME names', async () => {
    const name = freshDbName();
    TestBed.configureTestingModule({ providers: [config, { provide: POP_HMAC_KEY_DB_NAME, useValue: name }] });
    expect(await TestBed.inject(POP_HMAC_KEY_STORE).storage()).toBe('indexeddb');
    expect((await indexedDB.databases()).map((d) => d.name)).toContain(name);
    const close = spyOn(IDBDatabase.prototype, 'close').and.callThrough();
    TestBed.resetTestingModule();
    await new Promise((r) => setTimeout(r, 0));
    expect(close).withContext('closed with the injector').toHaveBeenCalledTimes(1);
    await deleteDb(name);
  });

  it('under server-side rendering: one memory store for the whole process, shared by every render', async () => {
    const renders = [1, 2].map(() => {
      TestBed.resetTestingModule();
      TestBed.configureTestingModule({ providers: [config, { provide: PLATFORM_ID, useValue: 'server' }] });
      return TestBed.inject(POP_HMAC_KEY_STORE);
    });
    const [first, second] = renders;
    expect(first).toBe(second);
    expect(await first?.storage()).toBe('memory');
    const id = { server: 'https://bank.example/api', tokenHash: freshDbName() };
    const record = { kid: 'ssr-kid', expiresAt: Date.now() + 60_000 } as HmacKeyRecord;
    await first?.getOrCreate(id, () => Promise.resolve(record));
    expect((await second?.getOrCreate(id, () => Promise.reject(new Error('must be shared'))))?.kid).toBe('ssr-kid');
    await first?.delete(id, 'ssr-kid');
  });
});
