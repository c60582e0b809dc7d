import { isPlatformServer } from '@angular/common';
import { DestroyRef, inject, InjectionToken, PLATFORM_ID } from '@angular/core';
import { POP_CONFIG, POP_DEFAULTS } from '../config/pop-config';
import { POP_CLOCK } from '../keys/pop-clock';
import type { HmacKeyStore } from './hmac-key-store';
import { MemoryHmacKeyStore } from './memory-hmac-key-store';
import { selectHmacKeyStore } from './select-hmac-key-store';

/** Added to the JWKS timeout to bound the wait for another tab's key creation. */
const LOCK_MARGIN_MS = 10_000;

/**
 * Name of the IndexedDB database that keeps the HMAC keys (default `pop-lib-hmac-keys`).
 * Apps sharing one origin that must not share keys, and tests that need a fresh store, set
 * their own: `{ provide: POP_HMAC_KEY_DB_NAME, useValue: 'my-app-hmac-keys' }`.
 */
export const POP_HMAC_KEY_DB_NAME = new InjectionToken<string>('POP_HMAC_KEY_DB_NAME', {
  providedIn: 'root',
  factory: () => 'pop-lib-hmac-keys',
});

/**
 * Under server-side rendering, one memory store for the whole server process: every render
 * of one process is the same client, so a token signed in two renders keeps one key.
 */
let serverProcessStore: MemoryHmacKeyStore | undefined;

/** The HMAC key store `ClientJwtService` uses (one per injector; see `hmacKeyStoreFactory`). */
export const POP_HMAC_KEY_STORE = new InjectionToken<HmacKeyStore>('POP_HMAC_KEY_STORE', {
  providedIn: 'root',
  factory: hmacKeyStoreFactory,
});

/**
 * Under server-side rendering the process-wide memory store; in a browser IndexedDB with Web
 * Locks, else memory (`selectHmacKeyStore`). Runs in an injection context.
 */
export function hmacKeyStoreFactory(): HmacKeyStore {
  if (isPlatformServer(inject(PLATFORM_ID))) return (serverProcessStore ??= new MemoryHmacKeyStore());
  const jwksTimeoutMs = inject(POP_CONFIG, { optional: true })?.jwks?.timeoutMs ?? POP_DEFAULTS.jwks.timeoutMs;
  const store = selectHmacKeyStore({
    indexedDB: guarded(() => globalThis.indexedDB, 'open'),
    locks: guarded(() => globalThis.navigator?.locks, 'request'),
    name: inject(POP_HMAC_KEY_DB_NAME),
    clock: inject(POP_CLOCK),
    // Another tab holding the lock is resolving the server's key: at most the JWKS timeout.
    timeoutMs: jwksTimeoutMs + LOCK_MARGIN_MS,
  });
  // The app (or a test's injector) is torn down: close the database connection with it.
  inject(DestroyRef).onDestroy(() => store.close());
  return store;
}

/**
 * A browser global when present with the method the store calls, else undefined. Reading it
 * may throw (e.g. `indexedDB` when storage is blocked for the site).
 */
function guarded<T extends object>(read: () => T | undefined, method: string): T | undefined {
  try {
    const value = read();
    return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[method] === 'function' ? value : undefined;
  } catch {
    return undefined;
  }
}
