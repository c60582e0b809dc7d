import { inject, Injectable } from '@angular/core';
import { matchServer, ServerRoot, serverRoots } from './find-resource-server';
import { POP_BASE_URI } from './page-base';
import { POP_CONFIG, ResourceServerConfig } from './pop-config';
import { tryParseUrl } from './url-policy';

/** A request URL resolved against the page, and the resource server it belongs to (if any). */
export interface RequestTarget {
  /** The absolute request URL: its `htu` comes from it, without parsing the URL again. */
  url: URL;
  server: ResourceServerConfig | undefined;
}

/**
 * The configured resource servers, with their `baseUrl`s parsed once per page base URL (a
 * relative `baseUrl` follows the page, so a new `<base href>` or SSR request URL parses them
 * again; the same base never does). What `findResourceServer` does, for the library's own
 * per-request use: one URL parse per lookup, the request URL's.
 */
@Injectable({ providedIn: 'root' })
export class ResourceServers {
  private readonly servers = inject(POP_CONFIG, { optional: true })?.resourceServers ?? [];
  private readonly baseUri = inject(POP_BASE_URI);
  /** The page base the roots were resolved against (`null`: none yet). */
  private rootsBase: string | undefined | null = null;
  private roots: readonly ServerRoot[] = [];

  /** `url` resolved against the page base URL, and its server; undefined when `url` does not parse. */
  locate(url: string): RequestTarget | undefined {
    const base = this.baseUri();
    const target = tryParseUrl(url, base);
    if (!target) return undefined;
    if (base !== this.rootsBase) {
      this.roots = serverRoots(this.servers, base);
      this.rootsBase = base;
    }
    return { url: target, server: matchServer(target, this.roots) };
  }

  /** The resource server `url` belongs to (`findResourceServer` against the page base URL). */
  find(url: string): ResourceServerConfig | undefined {
    return this.locate(url)?.server;
  }
}
