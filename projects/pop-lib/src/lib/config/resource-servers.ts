import { inject, Injectable } from '@angular/core';
import { htuOf } from '../../protocol';
import { matchServer, ServerRoot, serverRoots } from './find-resource-server';
import { POP_BASE_URI } from './page-base';
import { POP_CONFIG, ResourceServerConfig } from './pop-config';
import { tryParseUrl } from './url-policy';

/** A request URL resolved against the page: the resource server it belongs to (if any), and its `htu`. */
export interface RequestTarget {
  readonly server: ResourceServerConfig | undefined;
  /** `htuOf` the resolved URL; undefined when it cannot be one (not http(s), too long). */
  readonly htu: string | undefined;
}

/** Request URLs whose target is remembered (apps call the same URLs again and again). */
const MAX_MEMOISED_URLS = 128;
/** Longer URLs (a large query string) are parsed every time rather than kept. */
const MAX_MEMOISED_URL_LENGTH = 2048;

/**
 * The configured resource servers, with their `baseUrl`s parsed once per page base URL (a
 * relative `baseUrl` follows the page, so a new `<base href>` or SSR request URL parses them
 * again; the same base never does). What `findResourceServer` does, for the library's own
 * per-request use: at most one URL parse per lookup, the request URL's, whose parts give the
 * `htu` too; the targets of the last 128 request URLs (up to 2048 characters) are remembered
 * per page base, so a URL the app calls again is not parsed again.
 */
@Injectable({ providedIn: 'root' })
export class ResourceServers {
  private readonly servers = inject(POP_CONFIG, { optional: true })?.resourceServers ?? [];
  private readonly baseUri = inject(POP_BASE_URI);
  /** The page base the roots were resolved against (`null`: none yet). */
  private rootsBase: string | undefined | null = null;
  private roots: readonly ServerRoot[] = [];
  /** Targets of recent request URLs under `rootsBase`. */
  private readonly targets = new Map<string, RequestTarget>();

  /** `url` resolved against the page base URL: its server and `htu`; undefined when `url` does not parse. */
  locate(url: string): RequestTarget | undefined {
    const base = this.baseUri();
    if (base !== this.rootsBase) {
      this.roots = serverRoots(this.servers, base);
      this.rootsBase = base;
      this.targets.clear();
    }
    const known = this.targets.get(url);
    if (known) return known;
    const parsed = tryParseUrl(url, base);
    if (!parsed) return undefined;
    // Each URL getter serialises anew: read the parts once.
    const { protocol, origin, pathname } = parsed;
    const parts = { protocol, origin, pathname };
    const target: RequestTarget = { server: matchServer(parts, this.roots), htu: htuOf(parts) };
    if (url.length <= MAX_MEMOISED_URL_LENGTH) {
      if (this.targets.size >= MAX_MEMOISED_URLS) this.targets.clear();
      this.targets.set(url, target);
    }
    return target;
  }

  /** The resource server `url` belongs to (`findResourceServer` against the page base URL). */
  find(url: string): ResourceServerConfig | undefined {
    return this.locate(url)?.server;
  }
}
