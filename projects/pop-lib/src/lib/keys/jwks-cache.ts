import { HttpBackend, HttpClient, HttpContext, HttpErrorResponse, HttpResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { MAX_JWKS_CACHE_MS, POP_CONFIG, POP_DEFAULTS } from '../config/pop-config';
import { isPopError, PopError } from '../errors/pop-error';
import { POP_BYPASS } from '../http/pop-http-context';
import type { EncryptionKey } from './encryption-key';
import { KeyBag } from './key-bag';
import { indexJwks, IndexedJwks, parseJwks } from './jwks-document';
import { assertKid } from './kid';
import { POP_CLOCK } from './pop-clock';

/** What is known about one JWKS URL. */
interface JwksState {
  /** Keys may be served until then; afterwards the JWKS is fetched again first. */
  expiresAt: number;
  /** Last fetch attempt, successful or not: the unknown-kid refetch cool-down counts from it. */
  attemptedAt: number;
  rejected: IndexedJwks['rejected'];
}

/**
 * What `JwksCacheService` does, loaded on its first use (part of the key set-up code).
 * Fetches, checks and caches JWKS documents, one key bag entry set per URL.
 * Straight to Angular's `HttpBackend`, past every interceptor (as auth libraries fetch their
 * discovery documents), so no app interceptor can add `Authorization` or turn credentials on;
 * `HttpTestingController` still sees the request. Also marked `POP_BYPASS`, with no
 * credentials, no redirects, a timeout (`HttpClient`'s own option: the backend aborts the
 * request), and a size cap. One request at a time per URL:
 * concurrent callers share it. A document is kept for its
 * `Cache-Control: max-age` (or the configured default); an unknown kid causes at most one
 * refetch per cool-down, and a failed refetch leaves the cached keys in service.
 */
export class JwksCache {
  /** Past the interceptor chain: an auth interceptor would add the bare access token. */
  private readonly http = new HttpClient(inject(HttpBackend));
  private readonly clock = inject(POP_CLOCK);
  private readonly settings = { ...POP_DEFAULTS.jwks, ...inject(POP_CONFIG, { optional: true })?.jwks };
  private readonly bag = new KeyBag<EncryptionKey>();
  private readonly states = new Map<string, JwksState>();
  private readonly inFlight = new Map<string, Promise<JwksState>>();

  /** The key for `kid` (or the best encryption key when no kid is given) of the JWKS at `url`. */
  async getKey(url: string, kid?: string): Promise<EncryptionKey> {
    if (kid !== undefined) assertKid(kid, 'The requested', 'key_not_found');
    const cached = this.cachedKey(url, kid);
    if (cached) return cached;
    let state = this.states.get(url);
    if (!state || this.clock() >= state.expiresAt) {
      state = await this.load(url);
    } else if (kid !== undefined && !state.rejected.some((r) => r.kid === kid) && this.mayRefetch(url, state)) {
      // An unknown kid may mean the server rotated its keys: look once more, then give up.
      try {
        state = await this.load(url);
      } catch (error) {
        if (!isPopError(error)) throw error;
        throw new PopError('key_not_found', `No key with kid "${kid}" in the cached JWKS of ${url}, and refreshing it failed: ${error.message}`, { cause: error });
      }
    }
    const found = this.bag.lookup(url, kid, 'enc');
    if (found) return found;
    throw notFound(url, kid, state);
  }

  /** A refetch is running (join it) or the cool-down since the last attempt has passed. */
  private mayRefetch(url: string, state: JwksState): boolean {
    return this.inFlight.has(url) || this.clock() - state.attemptedAt >= this.settings.refetchCooldownMs;
  }

  /** The cached key when the JWKS at `url` is fresh: the fast path, no await needed inside. */
  cachedKey(url: string, kid?: string): EncryptionKey | undefined {
    const state = this.states.get(url);
    if (!state || this.clock() >= state.expiresAt) return undefined;
    return this.bag.lookup(url, kid, 'enc');
  }

  /** Forgets every cached JWKS (for logout or tests). */
  clear(): void {
    for (const url of this.states.keys()) this.bag.delete(url);
    this.states.clear();
  }

  private load(url: string): Promise<JwksState> {
    const running = this.inFlight.get(url);
    if (running) return running;
    const loading = this.fetchAndIndex(url).finally(() => this.inFlight.delete(url));
    this.inFlight.set(url, loading);
    return loading;
  }

  private async fetchAndIndex(url: string): Promise<JwksState> {
    const attemptedAt = this.clock();
    const previous = this.states.get(url);
    if (previous) previous.attemptedAt = attemptedAt;
    const response = await this.fetch(url);
    const indexed = await indexJwks(parseJwks(response.body, url), url);
    const state: JwksState = { expiresAt: attemptedAt + this.maxAge(response), attemptedAt, rejected: indexed.rejected };
    this.bag.replace(url, indexed.entries);
    this.states.set(url, state);
    return state;
  }

  private async fetch(url: string): Promise<HttpResponse<string>> {
    let response: HttpResponse<string>;
    try {
      response = await firstValueFrom(
        this.http
          .get(url, {
            observe: 'response',
            responseType: 'text',
            headers: { Accept: 'application/jwk-set+json, application/json' },
            context: new HttpContext().set(POP_BYPASS, true),
            withCredentials: false,
            credentials: 'omit',
            redirect: 'error',
            // Revalidate with the server: a refetch for an unknown kid must see rotated keys.
            cache: 'no-cache',
            // Enforced by Angular's fetch and XHR backends, which abort the request.
            timeout: this.settings.timeoutMs,
          }),
      );
    } catch (cause) {
      throw new PopError('jwks_fetch_failed', `Fetching the JWKS at ${url} failed: ${describe(cause, this.settings.timeoutMs)}`, { cause });
    }
    // With the XHR backend redirects are followed silently; the final URL still tells.
    if (response.url && new URL(response.url, url).origin !== new URL(url).origin) {
      throw new PopError('jwks_fetch_failed', `The JWKS request to ${url} was redirected to ${response.url}, another origin; refused.`);
    }
    const contentType = response.headers.get('Content-Type');
    if (contentType !== null && !/\bjson\b/i.test(contentType)) {
      throw new PopError('jwks_invalid', `The JWKS at ${url} is served as ${contentType.slice(0, 100)}, not JSON.`);
    }
    return response;
  }

  /** `Cache-Control: max-age`, capped at a day; `no-store`/`no-cache` mean do not keep. */
  private maxAge(response: HttpResponse<string>): number {
    const cacheControl = response.headers.get('Cache-Control');
    if (cacheControl === null) return this.settings.defaultMaxAgeMs;
    if (/\b(no-store|no-cache)\b/i.test(cacheControl)) return 0;
    const match = /(?:^|,)\s*max-age\s*=\s*"?(\d{1,10})"?\s*(?:,|$)/i.exec(cacheControl);
    return match?.[1] === undefined ? this.settings.defaultMaxAgeMs : Math.min(Number(match[1]) * 1000, MAX_JWKS_CACHE_MS);
  }
}

function notFound(url: string, kid: string | undefined, state: JwksState): PopError {
  const rejection = state.rejected.find((r) => kid === undefined || r.kid === kid);
  if (rejection) {
    const which = kid === undefined ? `No key of the JWKS at ${url} can be encrypted to` : `The key "${kid}" of the JWKS at ${url} cannot be encrypted to`;
    return new PopError(rejection.error.code, `${which}: ${rejection.error.message}`, { cause: rejection.error });
  }
  return new PopError('key_not_found', kid === undefined ? `The JWKS at ${url} has no keys.` : `The JWKS at ${url} has no key with kid "${kid}".`);
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof HttpErrorResponse && isTimeout(error.error)) return `no answer within ${timeoutMs} ms`;
  if (error instanceof HttpErrorResponse) return error.status === 0 ? 'network error (or a redirect, refused)' : `HTTP ${error.status}`;
  return error instanceof Error ? error.message : String(error);
}

/** What Angular's backends report when the request's `timeout` ran out (a `TimeoutError` DOMException). */
function isTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'TimeoutError';
}
