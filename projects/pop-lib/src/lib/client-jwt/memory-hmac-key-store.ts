import { HmacKeyId, hmacKeyIdText, HmacKeyRecord } from './hmac-key-record';
import type { HmacKeyStorage, HmacKeyStore } from './hmac-key-store';

/** Most records a memory store keeps; beyond it the oldest is dropped (bounded memory). */
export const MAX_MEMORY_HMAC_KEY_RECORDS = 10_000;

/**
 * HMAC key records in memory: lost on reload, not shared with other tabs. Concurrent
 * `getOrCreate` calls for one id share one creation; `clear` while one runs keeps its
 * result out of the store.
 */
export class MemoryHmacKeyStore implements HmacKeyStore {
  private readonly records = new Map<string, HmacKeyRecord>();
  private readonly creating = new Map<string, Promise<HmacKeyRecord>>();
  /** Incremented by `clear`: a creation started before it is not stored. */
  private generation = 0;

  constructor(
    private readonly clock: () => number = () => Date.now(),
    private readonly maxRecords = MAX_MEMORY_HMAC_KEY_RECORDS,
  ) {}

  storage(): Promise<HmacKeyStorage> {
    return Promise.resolve('memory');
  }

  getOrCreate(id: HmacKeyId, create: () => Promise<HmacKeyRecord>): Promise<HmacKeyRecord> {
    const key = hmacKeyIdText(id);
    const found = this.records.get(key);
    if (found && found.expiresAt > this.clock()) return Promise.resolve(found);
    // Expired: never returned. The other expired records go when a record is stored, not on every read.
    if (found) this.records.delete(key);
    const running = this.creating.get(key);
    if (running) return running;
    const generation = this.generation;
    const creation = create()
      .then((record) => {
        if (generation === this.generation) this.store(key, record);
        return record;
      })
      .finally(() => {
        if (this.creating.get(key) === creation) this.creating.delete(key);
      });
    this.creating.set(key, creation);
    return creation;
  }

  setRegistered(id: HmacKeyId, kid: string, registered: boolean): Promise<void> {
    const key = hmacKeyIdText(id);
    const record = this.records.get(key);
    if (record?.kid === kid) this.records.set(key, { ...record, registered });
    return Promise.resolve();
  }

  delete(id: HmacKeyId, kid: string): Promise<void> {
    const key = hmacKeyIdText(id);
    if (this.records.get(key)?.kid === kid) this.records.delete(key);
    return Promise.resolve();
  }

  clear(): Promise<void> {
    this.generation++;
    this.records.clear();
    this.creating.clear();
    return Promise.resolve();
  }

  /** Nothing to release: the records stay (the server-side store outlives every render). */
  close(): void {
    // Nothing held open.
  }

  private store(key: string, record: HmacKeyRecord): void {
    this.removeExpired();
    this.records.delete(key);
    this.records.set(key, record);
    // Map order is insertion order: the first entry is the oldest.
    while (this.records.size > this.maxRecords) {
      const oldest = this.records.keys().next().value;
      if (oldest === undefined) break;
      this.records.delete(oldest);
    }
  }

  private removeExpired(): void {
    const now = this.clock();
    for (const [key, record] of this.records) {
      if (record.expiresAt <= now) this.records.delete(key);
    }
  }
}
