import { Injectable } from '@angular/core';
import { LazyPart } from '../key-setup/load-key-setup';
import type { EncryptionKey } from './encryption-key';

/**
 * Fetches, checks and caches JWKS documents (protocol section 1), one key bag entry set per
 * URL: straight to Angular's `HttpBackend`, past every interceptor, with no credentials, no
 * redirects, a timeout and a size cap; one request at a time per URL; kept for the response's
 * `Cache-Control: max-age` (or the configured default); an unknown kid refetches at most once
 * per cool-down. The fetching and checking code (`JwksCache`) is loaded on first use.
 */
@Injectable({ providedIn: 'root' })
export class JwksCacheService {
  private readonly cache = new LazyPart((setup) => new setup.JwksCache());

  /** The key for `kid` (or the best encryption key when no kid is given) of the JWKS at `url`. */
  getKey(url: string, kid?: string): Promise<EncryptionKey> {
    return this.cache.run((cache) => cache.getKey(url, kid));
  }

  /** The cached key when the JWKS at `url` is fresh (nothing is cached before the first fetch). */
  cachedKey(url: string, kid?: string): EncryptionKey | undefined {
    return this.cache.current?.cachedKey(url, kid);
  }

  /** Forgets every cached JWKS (for logout or tests). */
  clear(): void {
    this.cache.current?.clear();
  }
}
