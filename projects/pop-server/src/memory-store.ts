/**
 * In-memory `PopStore` for a single server instance. Memory is bounded: expired entries are
 * evicted as time passes, and when `maxEntries` unexpired entries are held a new entry is
 * refused with `StoreUnavailableError` (the verifier answers 503). Refusing is the only safe
 * choice: dropping an unexpired nonce early would let its ClientJWT be replayed.
 */
import { assertOptions, integerIn, isFunction } from './options.ts';
import { StoreUnavailableError, type PopStore } from './store.ts';

export interface MemoryStoreOptions {
  /** Most unexpired entries held at once (default 1,000,000, roughly 150 MB). */
  maxEntries?: number;
  /** Clock, for tests. */
  now?: () => number;
}

interface Entry {
  value: string;
  expiresAtMs: number;
}

export class MemoryStore implements PopStore {
  readonly maxEntries: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  /** Expiry-ordered buckets (per second) so eviction never scans the whole map. */
  private readonly buckets = new Map<number, string[]>();
  private nextSweepSecond: number;

  constructor(options: MemoryStoreOptions = {}) {
    assertOptions('MemoryStore options', options, { maxEntries: { rule: integerIn(1, 100_000_000) }, now: { rule: isFunction } });
    this.maxEntries = options.maxEntries ?? 1_000_000;
    this.now = options.now ?? Date.now;
    this.nextSweepSecond = Math.floor(this.now() / 1000);
  }

  get size(): number {
    return this.entries.size;
  }

  async setIfAbsent(key: string, value: string, expiresAtMs: number): Promise<boolean> {
    // A NaN or infinite expiry would make the entry unexpirable or instantly expired (a replay
    // accepted): refuse it, so the verifier fails closed.
    if (!Number.isFinite(expiresAtMs)) throw new StoreUnavailableError(`memory store: expiry ${expiresAtMs} is not a finite time`);
    const now = this.now();
    this.evictExpired(now);
    const existing = this.entries.get(key);
    if (existing && existing.expiresAtMs > now) return false;
    if (expiresAtMs <= now) return true; // already expired: nothing to remember
    if (!existing && this.entries.size >= this.maxEntries) {
      throw new StoreUnavailableError(`memory store full (${this.maxEntries} unexpired entries)`);
    }
    this.entries.set(key, { value, expiresAtMs });
    const second = Math.floor(expiresAtMs / 1000);
    const bucket = this.buckets.get(second);
    if (bucket) bucket.push(key);
    else this.buckets.set(second, [key]);
    return true;
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    return entry && entry.expiresAtMs > this.now() ? entry.value : undefined;
  }

  private evictExpired(now: number): void {
    const current = Math.floor(now / 1000);
    if (current < this.nextSweepSecond) return;
    // Buckets are keyed by whole seconds; walk only the seconds that have passed.
    const seconds = [...this.buckets.keys()].filter((s) => s < current);
    for (const second of seconds) {
      for (const key of this.buckets.get(second) ?? []) {
        const entry = this.entries.get(key);
        if (entry && entry.expiresAtMs <= now) this.entries.delete(key);
      }
      this.buckets.delete(second);
    }
    this.nextSweepSecond = current + 1;
  }
}
