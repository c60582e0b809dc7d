import { PopError } from '../errors/pop-error';
import { HmacKeyId, hmacKeyIdText, HmacKeyRecord, isUsableRecord } from './hmac-key-record';
import type { HmacKeyStorage, HmacKeyStore } from './hmac-key-store';

const OBJECT_STORE = 'hmac-keys';
const EXPIRY_INDEX = 'expiresAt';
const VERSION = 1;

/** A record as stored: the record and its id (the object store's key path). */
type StoredRecord = HmacKeyRecord & HmacKeyId;

export interface IndexedDbHmacKeyStoreOptions {
  indexedDB: IDBFactory;
  locks: LockManager;
  /** Database name; also names the Web Locks (`pop-lib <name>` and `pop-lib <name> <id>`). */
  name: string;
  clock: () => number;
  /** Longest wait to open the database, or for a lock another tab holds. */
  timeoutMs: number;
}

/**
 * HMAC key records in IndexedDB, shared by every tab of the origin and kept across reloads.
 * A `CryptoKey` is stored as is (structured clone) and stays non-extractable.
 *
 * `getOrCreate` runs under two Web Locks: `pop-lib <name>` (shared) and `pop-lib <name> <id>`
 * (exclusive), so two tabs creating the key of one id end up with one key, and `clear` (which
 * takes `pop-lib <name>` exclusively) waits for creations already running. Expired records
 * are removed when the database is opened and when read.
 */
export class IndexedDbHmacKeyStore implements HmacKeyStore {
  private connection?: Promise<IDBDatabase>;
  private readonly lockName: string;

  private constructor(private readonly options: IndexedDbHmacKeyStoreOptions) {
    this.lockName = `pop-lib ${options.name}`;
  }

  /** Opens the database (removing expired records); rejects when IndexedDB is unusable. */
  static async open(options: IndexedDbHmacKeyStoreOptions): Promise<IndexedDbHmacKeyStore> {
    const store = new IndexedDbHmacKeyStore(options);
    await store.database();
    return store;
  }

  storage(): Promise<HmacKeyStorage> {
    return Promise.resolve('indexeddb');
  }

  getOrCreate(id: HmacKeyId, create: () => Promise<HmacKeyRecord>): Promise<HmacKeyRecord> {
    return this.locked(this.lockName, 'shared', () =>
      this.locked(`${this.lockName} ${hmacKeyIdText(id)}`, 'exclusive', async () => {
        const db = await this.database();
        const stored = await this.run(db, 'readonly', (store) => request<unknown>(store.get([id.server, id.tokenHash])));
        if (isUsableRecord(stored, this.options.clock())) return recordOf(stored);
        // Expired, or not a record this library would write: never used, removed.
        if (stored !== undefined) await this.run(db, 'readwrite', (store) => request(store.delete([id.server, id.tokenHash])));
        const record = await create();
        const entry: StoredRecord = { ...recordOf(record), server: id.server, tokenHash: id.tokenHash };
        await this.run(db, 'readwrite', (store) => request(store.put(entry)));
        return record;
      }),
    );
  }

  async setRegistered(id: HmacKeyId, kid: string, registered: boolean): Promise<void> {
    await this.update(id, kid, (store, stored) => request(store.put({ ...stored, registered })));
  }

  async delete(id: HmacKeyId, kid: string): Promise<void> {
    await this.update(id, kid, (store) => request(store.delete([id.server, id.tokenHash])));
  }

  clear(): Promise<void> {
    return this.locked(this.lockName, 'exclusive', async () => {
      const db = await this.database();
      await this.run(db, 'readwrite', (store) => request(store.clear()));
    });
  }

  close(): void {
    const connection = this.connection;
    this.connection = undefined;
    connection?.then((db) => db.close(), () => undefined);
  }

  /** Changes the record for `id` in one transaction, if it still holds the key `kid`. */
  private async update(id: HmacKeyId, kid: string, change: (store: IDBObjectStore, stored: StoredRecord) => Promise<unknown>): Promise<void> {
    const db = await this.database();
    await this.run(db, 'readwrite', async (store) => {
      const stored = await request<StoredRecord | undefined>(store.get([id.server, id.tokenHash]));
      if (stored?.kid === kid) await change(store, stored);
    });
  }

  /** The open connection; opened again after the browser closed it (e.g. site data cleared). */
  private database(): Promise<IDBDatabase> {
    if (!this.connection) {
      const opening = openDatabase(this.options).then(async (db) => {
        const forget = (): void => {
          if (this.connection === opening) this.connection = undefined;
        };
        // Let a newer version in another tab upgrade instead of being blocked by this connection.
        db.onversionchange = () => {
          db.close();
          forget();
        };
        db.onclose = forget;
        await this.run(db, 'readwrite', (store) => removeExpired(store, this.options.clock()));
        return db;
      });
      opening.catch(() => {
        if (this.connection === opening) this.connection = undefined;
      });
      this.connection = opening;
    }
    return this.connection;
  }

  /** Runs `work` in a transaction and resolves once the transaction has committed. */
  private async run<T>(db: IDBDatabase, mode: IDBTransactionMode, work: (store: IDBObjectStore) => Promise<T>): Promise<T> {
    try {
      const transaction = db.transaction(OBJECT_STORE, mode);
      const done = committed(transaction);
      // Awaited below; when `work` fails first, the transaction's own failure is not reported twice.
      done.catch(() => undefined);
      const result = await work(transaction.objectStore(OBJECT_STORE));
      await done;
      return result;
    } catch (cause) {
      throw this.failure(cause);
    }
  }

  private locked<T>(name: string, mode: LockMode, task: () => Promise<T>): Promise<T> {
    const { locks, timeoutMs } = this.options;
    let granted = false;
    const run = (): Promise<T> => {
      granted = true;
      return task();
    };
    return locks.request(name, { mode, signal: AbortSignal.timeout(timeoutMs) }, run).catch((cause: unknown) => {
      if (granted) throw cause;
      throw new PopError('signing_failed', `The HMAC key lock "${name}" was not granted within ${timeoutMs} ms (another tab holds it).`, { cause });
    });
  }

  private failure(cause: unknown): unknown {
    if (cause instanceof PopError) return cause;
    return new PopError('signing_failed', `The HMAC key store (IndexedDB "${this.options.name}") failed.`, { cause });
  }
}

/** Only the record's own members: the stored id members are not part of it. */
function recordOf(record: HmacKeyRecord): HmacKeyRecord {
  const { signingKey, kid, hmacKeyJwe, registered, expiresAt } = record;
  return { signingKey, kid, hmacKeyJwe, registered, expiresAt };
}

function openDatabase({ indexedDB, name, timeoutMs }: IndexedDbHmacKeyStoreOptions): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    // Blocked by an older connection that does not close: give up instead of waiting forever.
    const timer = setTimeout(() => settle(() => reject(new Error(`opening IndexedDB "${name}" took more than ${timeoutMs} ms`))), timeoutMs);
    let opening: IDBOpenDBRequest;
    try {
      // Some private modes throw here rather than fail the request.
      opening = indexedDB.open(name, VERSION);
    } catch (cause) {
      settle(() => reject(cause));
      return;
    }
    opening.onupgradeneeded = () => {
      const db = opening.result;
      if (!db.objectStoreNames.contains(OBJECT_STORE)) {
        db.createObjectStore(OBJECT_STORE, { keyPath: ['server', 'tokenHash'] }).createIndex(EXPIRY_INDEX, 'expiresAt');
      }
    };
    opening.onsuccess = () => {
      const db = opening.result;
      if (settled) db.close();
      settle(() => resolve(db));
    };
    opening.onerror = () => settle(() => reject(opening.error ?? new Error(`opening IndexedDB "${name}" failed`)));
  });
}

async function removeExpired(store: IDBObjectStore, now: number): Promise<void> {
  const keys = await request(store.index(EXPIRY_INDEX).getAllKeys(IDBKeyRange.upperBound(now)));
  await Promise.all(keys.map((key) => request(store.delete(key))));
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  });
}
