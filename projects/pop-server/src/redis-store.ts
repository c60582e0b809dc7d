/**
 * `PopStore` on Redis, so several server instances reject each other's replays and share HMAC
 * key registrations: `SET key value NX PXAT expiry` is atomic across instances. Errors are
 * thrown as `StoreUnavailableError` and the verifier fails closed.
 */
import type { RedisClientType } from 'redis';
import { StoreUnavailableError, type PopStore } from './store.ts';

/** The two commands this store uses; a node-redis v5 client (or cluster) provides them. */
export interface RedisLike {
  set(key: string, value: string, options: { condition: 'NX'; expiration: { type: 'PXAT'; value: number } }): Promise<string | null | unknown>;
  get(key: string): Promise<string | null | unknown>;
  configGet?(parameter: string): Promise<Record<string, string>>;
}

export interface RedisStoreOptions {
  /** Prefix of every key this store writes (default `pop:`), to share a database safely. */
  prefix?: string;
}

export class RedisStore implements PopStore {
  private readonly client: RedisLike;
  private readonly prefix: string;

  constructor(client: RedisLike | RedisClientType, options: RedisStoreOptions = {}) {
    this.client = client as RedisLike;
    this.prefix = options.prefix ?? 'pop:';
  }

  async setIfAbsent(key: string, value: string, expiresAtMs: number): Promise<boolean> {
    try {
      const reply = await this.client.set(this.prefix + key, value, {
        condition: 'NX',
        expiration: { type: 'PXAT', value: Math.ceil(expiresAtMs) },
      });
      return reply === 'OK';
    } catch (e) {
      throw new StoreUnavailableError('redis store unavailable', { cause: e });
    }
  }

  async get(key: string): Promise<string | undefined> {
    try {
      const reply = await this.client.get(this.prefix + key);
      return typeof reply === 'string' ? reply : undefined;
    } catch (e) {
      throw new StoreUnavailableError('redis store unavailable', { cause: e });
    }
  }

  /**
   * Returns a warning when Redis may evict keys before they expire (any `maxmemory-policy`
   * but `noeviction`): an evicted nonce could be replayed. Call at start-up and log it.
   */
  async checkEvictionPolicy(): Promise<string | undefined> {
    if (!this.client.configGet) return undefined;
    try {
      const config = await this.client.configGet('maxmemory-policy');
      const policy = config['maxmemory-policy'];
      if (policy !== 'noeviction') {
        return `pop-server: Redis maxmemory-policy is "${policy ?? 'unknown'}"; use "noeviction" so unexpired nonces are never evicted`;
      }
      return undefined;
    } catch (e) {
      return `pop-server: could not read Redis maxmemory-policy (${(e as Error).message}); make sure it is "noeviction"`;
    }
  }
}
