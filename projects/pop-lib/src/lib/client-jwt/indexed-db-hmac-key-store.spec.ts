import { isPopError } from '../errors/pop-error';
import { deleteDb, freshDbName, putRaw, rawRecords } from '../testing/indexed-db';
import { HmacKeyId, hmacKeyIdText, HmacKeyRecord } from './hmac-key-record';
import { IndexedDbHmacKeyStore, IndexedDbHmacKeyStoreOptions } from './indexed-db-hmac-key-store';

const ID: HmacKeyId = { server: 'https://bank.example/api', tokenHash: 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg' };
const JWE = 'eyJhbGciOiJFQ0RILUVTK0EyNTZLVyJ9.a.b.c.d';

describe('IndexedDbHmacKeyStore', () => {
  let name: string;
  let now: number;

  function options(overrides: Partial<IndexedDbHmacKeyStoreOptions> = {}): IndexedDbHmacKeyStoreOptions {
    return { indexedDB, locks: navigator.locks, name, clock: () => now, timeoutMs: 5000, ...overrides };
  }

  /** A record as the service makes it: a fresh non-extractable HMAC key. */
  async function newRecord(kid: string, expiresAt = now + 60_000): Promise<HmacKeyRecord> {
    const signingKey = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']);
    return { signingKey, kid, hmacKeyJwe: JWE, registered: false, expiresAt };
  }

  async function macOf(key: CryptoKey): Promise<string> {
    return new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode('signing input'))).join(',');
  }

  beforeEach(() => {
    name = freshDbName();
    now = Date.UTC(2026, 10, 22, 12);
  });

  afterEach(() => deleteDb(name));

  it('keeps a record across connections (a reload): same kid, same key, still non-extractable', async () => {
    const first = await IndexedDbHmacKeyStore.open(options());
    expect(await first.storage()).toBe('indexeddb');
    const created = await first.getOrCreate(ID, () => newRecord('kid-1'));
    const reloaded = await IndexedDbHmacKeyStore.open(options());
    const read = await reloaded.getOrCreate(ID, () => Promise.reject(new Error('must not create')));
    expect(read.kid).toBe('kid-1');
    expect(read.hmacKeyJwe).toBe(JWE);
    expect(read.signingKey.extractable).toBeFalse();
    expect(await macOf(read.signingKey)).toBe(await macOf(created.signingKey));
    await expectAsync(crypto.subtle.exportKey('raw', read.signingKey)).toBeRejected();
  });

  it('gives two connections racing for one id one key (Web Locks)', async () => {
    const [a, b] = await Promise.all([IndexedDbHmacKeyStore.open(options()), IndexedDbHmacKeyStore.open(options())]);
    const create = jasmine.createSpy('create').and.callFake(async () => {
      // Slow enough that, without the lock, the other connection would read nothing and create too.
      await new Promise((r) => setTimeout(r, 30));
      return newRecord(`kid-${create.calls.count()}`);
    });
    const [fromA, fromB] = await Promise.all([a.getOrCreate(ID, create), b.getOrCreate(ID, create)]);
    expect(create).toHaveBeenCalledTimes(1);
    expect(fromA.kid).toBe(fromB.kid);
    expect((await rawRecords(name)).values.length).toBe(1);
  });

  it('stores the id and the record, never anything else', async () => {
    const store = await IndexedDbHmacKeyStore.open(options());
    await store.getOrCreate(ID, () => newRecord('kid-1'));
    const { keys, values } = await rawRecords(name);
    expect(keys as unknown).toEqual([[ID.server, ID.tokenHash]]);
    expect(Object.keys(values[0] as object).sort()).toEqual(['expiresAt', 'hmacKeyJwe', 'kid', 'registered', 'server', 'signingKey', 'tokenHash']);
  });

  it('removes expired records when opened, and does not serve one when read', async () => {
    const store = await IndexedDbHmacKeyStore.open(options());
    await store.getOrCreate(ID, () => newRecord('short', now + 1000));
    await store.getOrCreate({ ...ID, tokenHash: 'other' }, () => newRecord('long', now + 10_000));
    now += 1000;
    expect((await store.getOrCreate(ID, () => newRecord('renewed'))).kid).toBe('renewed');
    now += 60_000;
    await IndexedDbHmacKeyStore.open(options());
    expect((await rawRecords(name)).values).toEqual([]);
  });

  it('never uses a planted record with an extractable key: it is replaced by a new key', async () => {
    const store = await IndexedDbHmacKeyStore.open(options());
    const known = await crypto.subtle.importKey('raw', new Uint8Array(32), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
    await putRaw(name, { server: ID.server, tokenHash: ID.tokenHash, signingKey: known, kid: 'planted', hmacKeyJwe: JWE, registered: true, expiresAt: now + 60_000 });
    const used = await store.getOrCreate(ID, () => newRecord('fresh'));
    expect(used.kid).toBe('fresh');
    expect(((await rawRecords(name)).values[0] as HmacKeyRecord).kid).toBe('fresh');
  });

  it('setRegistered and delete change the record only while it holds that kid', async () => {
    const store = await IndexedDbHmacKeyStore.open(options());
    await store.getOrCreate(ID, () => newRecord('kid-1'));
    await store.setRegistered(ID, 'someone-else', true);
    await store.delete(ID, 'someone-else');
    expect(((await rawRecords(name)).values[0] as HmacKeyRecord).registered).toBeFalse();
    await store.setRegistered(ID, 'kid-1', true);
    const reloaded = await IndexedDbHmacKeyStore.open(options());
    expect((await reloaded.getOrCreate(ID, () => Promise.reject(new Error('must not create')))).registered).toBeTrue();
    await store.delete(ID, 'kid-1');
    expect((await rawRecords(name)).values).toEqual([]);
  });

  it('clear() waits for a creation already running, then removes every record', async () => {
    const store = await IndexedDbHmacKeyStore.open(options());
    const other = await IndexedDbHmacKeyStore.open(options());
    await store.getOrCreate({ ...ID, tokenHash: 'other' }, () => newRecord('kid-other'));
    let started!: () => void;
    const creating = new Promise<void>((r) => (started = r));
    const running = store.getOrCreate(ID, async () => {
      started();
      await new Promise((r) => setTimeout(r, 30));
      return newRecord('kid-running');
    });
    await creating;
    await other.clear();
    expect((await running).kid).toBe('kid-running');
    expect((await rawRecords(name)).values).toEqual([]);
  });

  it('fails with signing_failed, naming the lock, when another tab holds the lock too long', async () => {
    // The limit covers opening the database too: long enough for that on a loaded machine.
    const store = await IndexedDbHmacKeyStore.open(options({ timeoutMs: 1_000 }));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let granted!: () => void;
    const holding = new Promise<void>((r) => (granted = r));
    const lock = navigator.locks.request(`pop-lib ${name} ${hmacKeyIdText(ID)}`, () => {
      granted();
      return held;
    });
    await holding;
    const error = await store.getOrCreate(ID, () => newRecord('never')).catch((e: unknown) => e);
    release();
    await lock;
    expect(isPopError(error, 'signing_failed')).toBeTrue();
    expect((error as Error).message).toContain(`pop-lib ${name}`);
  });

  it('passes a creation failure on and stores nothing', async () => {
    const store = await IndexedDbHmacKeyStore.open(options());
    await expectAsync(store.getOrCreate(ID, () => Promise.reject(new Error('no server key')))).toBeRejectedWithError('no server key');
    expect((await rawRecords(name)).values).toEqual([]);
  });

  it('opens again after the browser closed the connection (e.g. site data cleared elsewhere)', async () => {
    const store = await IndexedDbHmacKeyStore.open(options());
    await store.getOrCreate(ID, () => newRecord('kid-1'));
    await deleteDb(name);
    expect((await store.getOrCreate(ID, () => newRecord('kid-2'))).kid).toBe('kid-2');
  });

  it('refuses to open when IndexedDB fails, with the cause', async () => {
    const failing = { open: () => { throw new DOMException('storage blocked', 'SecurityError'); } } as unknown as IDBFactory;
    await expectAsync(IndexedDbHmacKeyStore.open(options({ indexedDB: failing }))).toBeRejectedWith(jasmine.objectContaining({ name: 'SecurityError' }));
    const never = { open: () => ({}) } as unknown as IDBFactory;
    await expectAsync(IndexedDbHmacKeyStore.open(options({ indexedDB: never, timeoutMs: 20 }))).toBeRejectedWithError(/took more than 20 ms/);
  });
});
