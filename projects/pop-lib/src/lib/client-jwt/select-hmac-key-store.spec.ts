import { deleteDb, freshDbName } from '../testing/indexed-db';
import { HmacKeyStoreEnvironment, selectHmacKeyStore } from './select-hmac-key-store';

describe('selectHmacKeyStore', () => {
  let name: string;

  function environment(overrides: Partial<HmacKeyStoreEnvironment>): HmacKeyStoreEnvironment {
    // Long enough to open a real database on a loaded machine; the test of an open that never answers sets its own.
    return { indexedDB, locks: navigator.locks, name, clock: () => Date.now(), timeoutMs: 5_000, ...overrides };
  }

  beforeEach(() => (name = freshDbName()));
  afterEach(() => deleteDb(name));

  it('uses IndexedDB with Web Locks when the browser has both', async () => {
    expect(await selectHmacKeyStore(environment({})).storage()).toBe('indexeddb');
  });

  it('falls back to memory without IndexedDB or without Web Locks', async () => {
    expect(await selectHmacKeyStore(environment({ indexedDB: undefined })).storage()).toBe('memory');
    expect(await selectHmacKeyStore(environment({ locks: undefined })).storage()).toBe('memory');
  });

  it('falls back to memory when the database cannot be opened (some private modes), and stays there', async () => {
    const throwing = { open: () => { throw new DOMException('blocked', 'InvalidStateError'); } } as unknown as IDBFactory;
    expect(await selectHmacKeyStore(environment({ indexedDB: throwing })).storage()).toBe('memory');
    const failing = {
      open: () => {
        const request = { error: new DOMException('quota', 'UnknownError') } as { error: DOMException; onerror?: () => void };
        setTimeout(() => request.onerror?.(), 0);
        return request;
      },
    } as unknown as IDBFactory;
    expect(await selectHmacKeyStore(environment({ indexedDB: failing })).storage()).toBe('memory');
    const open = jasmine.createSpy('open').and.returnValue({});
    const store = selectHmacKeyStore(environment({ indexedDB: { open } as unknown as IDBFactory, timeoutMs: 50 }));
    expect(await store.storage()).toBe('memory');
    expect(await store.storage()).toBe('memory');
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('close() closes its IndexedDB connection', async () => {
    const store = selectHmacKeyStore(environment({}));
    expect(await store.storage()).toBe('indexeddb');
    const close = spyOn(IDBDatabase.prototype, 'close').and.callThrough();
    store.close();
    await new Promise((r) => setTimeout(r, 0));
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('does not open the database before first use', () => {
    const open = jasmine.createSpy('open');
    selectHmacKeyStore(environment({ indexedDB: { open } as unknown as IDBFactory }));
    expect(open).not.toHaveBeenCalled();
  });
});
