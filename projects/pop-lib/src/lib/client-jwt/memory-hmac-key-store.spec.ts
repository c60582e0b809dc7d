import { HmacKeyId, HmacKeyRecord } from './hmac-key-record';
import { MAX_MEMORY_HMAC_KEY_RECORDS, MemoryHmacKeyStore } from './memory-hmac-key-store';

const ID: HmacKeyId = { server: 'https://bank.example/api', tokenHash: 'hash-1' };

function record(kid: string, expiresAt: number): HmacKeyRecord {
  // The memory store never looks inside the key.
  return { signingKey: {} as CryptoKey, kid, hmacKeyJwe: 'a.b.c.d.e', registered: false, expiresAt };
}

describe('MemoryHmacKeyStore', () => {
  let now: number;
  let store: MemoryHmacKeyStore;

  beforeEach(() => {
    now = 1_000_000;
    store = new MemoryHmacKeyStore(() => now);
  });

  it('says it keeps records in memory', async () => {
    expect(await store.storage()).toBe('memory');
  });

  it('creates once for concurrent callers and then serves the stored record', async () => {
    const create = jasmine.createSpy('create').and.callFake(() => Promise.resolve(record('k1', now + 1000)));
    const all = await Promise.all([store.getOrCreate(ID, create), store.getOrCreate(ID, create), store.getOrCreate(ID, create)]);
    expect(create).toHaveBeenCalledTimes(1);
    expect(new Set(all.map((r) => r.kid))).toEqual(new Set(['k1']));
    expect((await store.getOrCreate(ID, create)).kid).toBe('k1');
    expect((await store.getOrCreate({ ...ID, tokenHash: 'hash-2' }, () => Promise.resolve(record('k2', now + 1000)))).kid).toBe('k2');
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('keeps no failure: the next call creates again', async () => {
    await expectAsync(store.getOrCreate(ID, () => Promise.reject(new Error('no key')))).toBeRejectedWithError('no key');
    expect((await store.getOrCreate(ID, () => Promise.resolve(record('k1', now + 1000)))).kid).toBe('k1');
  });

  it('removes expired records when read', async () => {
    await store.getOrCreate(ID, () => Promise.resolve(record('old', now + 1000)));
    now += 1000;
    expect((await store.getOrCreate(ID, () => Promise.resolve(record('new', now + 1000)))).kid).toBe('new');
  });

  it('changes or deletes a record only while it holds the named key', async () => {
    await store.getOrCreate(ID, () => Promise.resolve(record('k1', now + 1000)));
    await store.setRegistered(ID, 'other', true);
    await store.delete(ID, 'other');
    const kept = await store.getOrCreate(ID, () => Promise.reject(new Error('must not create')));
    expect(kept.registered).toBeFalse();
    await store.setRegistered(ID, 'k1', true);
    expect((await store.getOrCreate(ID, () => Promise.reject(new Error('must not create')))).registered).toBeTrue();
    await store.delete(ID, 'k1');
    expect((await store.getOrCreate(ID, () => Promise.resolve(record('k2', now + 1000)))).kid).toBe('k2');
  });

  it('clear() drops every record, and a creation still running is not stored', async () => {
    let finish: (r: HmacKeyRecord) => void = () => undefined;
    const running = store.getOrCreate(ID, () => new Promise<HmacKeyRecord>((resolve) => (finish = resolve)));
    await store.getOrCreate({ ...ID, tokenHash: 'other' }, () => Promise.resolve(record('k-other', now + 1000)));
    await store.clear();
    finish(record('before-clear', now + 1000));
    expect((await running).kid).toBe('before-clear');
    expect((await store.getOrCreate(ID, () => Promise.resolve(record('after-clear', now + 1000)))).kid).toBe('after-clear');
    expect((await store.getOrCreate({ ...ID, tokenHash: 'other' }, () => Promise.resolve(record('k-new', now + 1000)))).kid).toBe('k-new');
  });

  it('keeps a bounded number of records (10 000 by default), dropping the oldest', async () => {
    expect(MAX_MEMORY_HMAC_KEY_RECORDS).toBe(10_000);
    const small = new MemoryHmacKeyStore(() => now, 3);
    for (let i = 0; i < 4; i++) {
      await small.getOrCreate({ ...ID, tokenHash: `t${i}` }, () => Promise.resolve(record(`k${i}`, now + 1000)));
    }
    expect((await small.getOrCreate({ ...ID, tokenHash: 't3' }, () => Promise.reject(new Error('kept')))).kid).toBe('k3');
    expect((await small.getOrCreate({ ...ID, tokenHash: 't1' }, () => Promise.reject(new Error('kept')))).kid).toBe('k1');
    expect((await small.getOrCreate({ ...ID, tokenHash: 't0' }, () => Promise.resolve(record('recreated', now + 1000)))).kid).toBe('recreated');
  });
});
