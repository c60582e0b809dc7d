/**
 * `PopStore` on Redis, so several server instances reject each other's replays and share key
 * registrations: `SET key value NX PXAT expiry` is atomic across instances. Every command is
 * bounded by a timeout: a Redis that stalls, stops or is unreachable makes the command fail
 * with `StoreUnavailableError` within `timeoutMs`, and the verifier answers 503 (fails closed);
 * no request is ever left pending. Structural types only: the core never needs `redis`.
 */
import { PopServerConfigError } from './errors.ts';
import { assertOptions, integerIn, isFunction } from './options.ts';
import { StoreUnavailableError, type PopStore } from './store.ts';

/** The commands this store uses; a node-redis v5 client (`createClient()`) provides them. */
export interface RedisLike {
  set(key: string, value: string, options: { condition: 'NX'; expiration: { type: 'PXAT'; value: number } }): Promise<unknown>;
  get(key: string): Promise<unknown>;
  configGet?(parameter: string): Promise<Record<string, string>>;
}

export interface RedisStoreOptions {
  /** Prefix of every key this store writes (default `pop:`), to share a database safely. */
  prefix?: string;
  /** Longest wait for any command, 1 to 60 000 ms (default 1000); then the request gets 503. */
  timeoutMs?: number;
  /**
   * Receives the warning when Redis may evict keys early (`maxmemory-policy` other than
   * `noeviction`: an evicted nonce could be replayed) or the policy cannot be read. The check
   * runs by itself when the store is created. Default `console.warn`.
   */
  onWarning?: (message: string) => void;
}

const PREFIX = /^[\x21-\x7e]{0,64}$/;

export class RedisStore implements PopStore {
  private readonly client: RedisLike;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  /** The start-up eviction-policy check (already running; resolves to its warning, if any). */
  readonly evictionPolicyChecked: Promise<string | undefined>;

  constructor(client: RedisLike, options: RedisStoreOptions = {}) {
    assertOptions('RedisStore options', options, {
      prefix: { rule: (v) => (typeof v === 'string' && PREFIX.test(v) ? undefined : 'must be at most 64 printable ASCII characters without spaces') },
      timeoutMs: { rule: integerIn(1, 60_000) },
      onWarning: { rule: isFunction },
    });
    if (typeof client !== 'object' || client === null || typeof client.set !== 'function' || typeof client.get !== 'function') {
      throw new PopServerConfigError('RedisStore', ['client: must be a node-redis v5 client (createClient from "redis") or an object with set and get']);
    }
    this.client = client;
    this.prefix = options.prefix ?? 'pop:';
    this.timeoutMs = options.timeoutMs ?? 1000;
    const onWarning = options.onWarning ?? ((message: string) => console.warn(message));
    this.evictionPolicyChecked = this.checkEvictionPolicy().then((warning) => {
      if (warning) onWarning(warning);
      return warning;
    });
  }

  async setIfAbsent(key: string, value: string, expiresAtMs: number): Promise<boolean> {
    if (!Number.isFinite(expiresAtMs)) throw new StoreUnavailableError(`redis store: expiry ${expiresAtMs} is not a finite time`);
    const reply = await this.bounded('SET NX', () =>
      this.client.set(this.prefix + key, value, { condition: 'NX', expiration: { type: 'PXAT', value: Math.ceil(expiresAtMs) } }),
    );
    return reply === 'OK';
  }

  async get(key: string): Promise<string | undefined> {
    const reply = await this.bounded('GET', () => this.client.get(this.prefix + key));
    return typeof reply === 'string' ? reply : undefined;
  }

  /**
   * A warning when Redis may evict keys before they expire (any `maxmemory-policy` but
   * `noeviction`), or when the policy cannot be read; undefined when it is `noeviction`.
   */
  async checkEvictionPolicy(): Promise<string | undefined> {
    if (!this.client.configGet) return 'pop-lib-server: cannot read Redis maxmemory-policy (no CONFIG GET); make sure it is "noeviction"';
    try {
      const config = await this.bounded('CONFIG GET', () => (this.client.configGet as (p: string) => Promise<Record<string, string>>)('maxmemory-policy'));
      const policy = config['maxmemory-policy'];
      if (policy === 'noeviction') return undefined;
      return `pop-lib-server: Redis maxmemory-policy is "${policy ?? 'unknown'}"; use "noeviction" so unexpired nonces and key registrations are never evicted`;
    } catch (e) {
      return `pop-lib-server: could not read Redis maxmemory-policy (${(e as Error).message}); make sure it is "noeviction"`;
    }
  }

  /** Runs a command, failing with `StoreUnavailableError` on an error or after `timeoutMs`. */
  private bounded<R>(command: string, run: () => Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => reject(new StoreUnavailableError(`redis store: ${command} got no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      let pending: Promise<R>;
      try {
        pending = run();
      } catch (e) {
        pending = Promise.reject(e);
      }
      pending.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(new StoreUnavailableError(`redis store: ${command} failed`, { cause: e }));
        },
      );
    });
  }
}
