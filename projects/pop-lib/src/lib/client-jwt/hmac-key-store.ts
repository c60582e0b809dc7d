import type { HmacKeyId, HmacKeyRecord } from './hmac-key-record';

/** Where a store keeps its records. */
export type HmacKeyStorage = 'indexeddb' | 'memory';

/**
 * Keeps the HMAC key records of (resource server, access token) pairs: in IndexedDB, shared
 * by the origin's tabs and kept across reloads, or in memory (docs/protocol.md section 3).
 * Records are read and created only through `getOrCreate`, which is serialised per id, so
 * two callers (tabs, service instances) racing for one id end up with one key.
 */
export interface HmacKeyStore {
  /** Where the records are kept (IndexedDB may prove unusable on first use). */
  storage(): Promise<HmacKeyStorage>;

  /**
   * The unexpired record for `id`, or the one `create` makes, stored before it is returned.
   * A failure of `create` is passed on and nothing is stored.
   */
  getOrCreate(id: HmacKeyId, create: () => Promise<HmacKeyRecord>): Promise<HmacKeyRecord>;

  /** Sets the `registered` flag of the record for `id`, if it still holds the key `kid`. */
  setRegistered(id: HmacKeyId, kid: string, registered: boolean): Promise<void>;

  /** Removes the record for `id`, if it still holds the key `kid`. */
  delete(id: HmacKeyId, kid: string): Promise<void>;

  /** Removes every record, after any creation already running has finished. */
  clear(): Promise<void>;

  /** Releases what the store holds open (a database connection); a later call opens it again. */
  close(): void;
}
