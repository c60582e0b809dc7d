import { HmacKeyId, HmacKeyRecord } from './hmac-key-record';
import type { HmacKeyStorage, HmacKeyStore } from './hmac-key-store';
import { IndexedDbHmacKeyStore } from './indexed-db-hmac-key-store';
import { MemoryHmacKeyStore } from './memory-hmac-key-store';

/** What the browser offers, read (guarded) by the caller; absent members mean "not available". */
export interface HmacKeyStoreEnvironment {
  indexedDB?: IDBFactory;
  locks?: LockManager;
  /** IndexedDB database name. */
  name: string;
  clock: () => number;
  /** Longest wait to open the database, or for a lock another tab holds. */
  timeoutMs: number;
}

/**
 * The key store for this page: IndexedDB with Web Locks when the browser has both and the
 * database opens (tried on first use), else memory, for the rest of the page's life. The
 * memory fallback is not shared with other tabs and is lost on reload (docs/security.md).
 */
export function selectHmacKeyStore(environment: HmacKeyStoreEnvironment): HmacKeyStore {
  const { indexedDB, locks, clock } = environment;
  if (!indexedDB || !locks) return new MemoryHmacKeyStore(clock);
  return new FirstUseHmacKeyStore(() =>
    IndexedDbHmacKeyStore.open({ ...environment, indexedDB, locks }).catch((): HmacKeyStore => new MemoryHmacKeyStore(clock)),
  );
}

/** Delegates to the store `choose` yields, chosen once, on first use. */
class FirstUseHmacKeyStore implements HmacKeyStore {
  private chosen?: Promise<HmacKeyStore>;

  constructor(private readonly choose: () => Promise<HmacKeyStore>) {}

  storage(): Promise<HmacKeyStorage> {
    return this.store().then((store) => store.storage());
  }

  getOrCreate(id: HmacKeyId, create: () => Promise<HmacKeyRecord>): Promise<HmacKeyRecord> {
    return this.store().then((store) => store.getOrCreate(id, create));
  }

  setRegistered(id: HmacKeyId, kid: string, registered: boolean): Promise<void> {
    return this.store().then((store) => store.setRegistered(id, kid, registered));
  }

  delete(id: HmacKeyId, kid: string): Promise<void> {
    return this.store().then((store) => store.delete(id, kid));
  }

  clear(): Promise<void> {
    return this.store().then((store) => store.clear());
  }

  close(): void {
    this.chosen?.then((store) => store.close(), () => undefined);
  }

  private store(): Promise<HmacKeyStore> {
    this.chosen ??= this.choose();
    return this.chosen;
  }
}
