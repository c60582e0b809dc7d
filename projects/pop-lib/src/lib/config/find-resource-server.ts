import { documentBaseUri } from './page-base';
import type { ResourceServerConfig } from './pop-config';
import { tryParseUrl } from './url-policy';

/** A configured `baseUrl`, parsed: what request URLs are compared with. */
export interface ServerRoot {
  server: ResourceServerConfig;
  origin: string;
  pathname: string;
  /** `pathname` ending in `/`: a request path must start with it (or equal `pathname`). */
  prefix: string;
}

/**
 * The configured resource server a request URL belongs to: the one whose `baseUrl` is the
 * longest prefix of `url`, compared as parsed URLs (same origin, path prefix ending at a
 * `/` boundary), so `https://api.example` never matches `https://api.example.evil`, and
 * `/api` never matches `/api-admin`. Relative URLs are resolved against `base` (in a page,
 * `document.baseURI`). Undefined when no server matches (or a relative URL has no base to
 * resolve against): such requests are never touched.
 */
export function findResourceServer(
  servers: readonly ResourceServerConfig[],
  url: string,
  base: string | undefined = documentBaseUri(),
): ResourceServerConfig | undefined {
  const target = tryParseUrl(url, base);
  return target && matchServer(target, serverRoots(servers, base));
}

/** Each server's `baseUrl` resolved against `base`; servers whose `baseUrl` does not parse are left out. */
export function serverRoots(servers: readonly ResourceServerConfig[], base: string | undefined): ServerRoot[] {
  const roots: ServerRoot[] = [];
  for (const server of servers) {
    const root = tryParseUrl(server.baseUrl, base);
    if (!root) continue;
    const prefix = root.pathname.endsWith('/') ? root.pathname : `${root.pathname}/`;
    roots.push({ server, origin: root.origin, pathname: root.pathname, prefix });
  }
  return roots;
}

/** The server of the longest root that `target` (an absolute URL, or its parts) falls under. */
export function matchServer(target: Pick<URL, 'origin' | 'pathname'>, roots: readonly ServerRoot[]): ResourceServerConfig | undefined {
  let best: ResourceServerConfig | undefined;
  let bestLength = -1;
  const { origin, pathname } = target;
  for (const root of roots) {
    if (root.origin !== origin || root.prefix.length <= bestLength) continue;
    if (pathname === root.pathname || `${pathname}/` === root.prefix || pathname.startsWith(root.prefix)) {
      best = root.server;
      bestLength = root.prefix.length;
    }
  }
  return best;
}
