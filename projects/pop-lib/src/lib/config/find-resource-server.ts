import { documentBaseUri } from './page-base';
import type { ResourceServerConfig } from './pop-config';
import { tryParseUrl } from './url-policy';

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
  if (!target) return undefined;
  let best: ResourceServerConfig | undefined;
  let bestLength = -1;
  for (const server of servers) {
    const root = tryParseUrl(server.baseUrl, base);
    if (!root || root.origin !== target.origin) continue;
    const prefix = root.pathname.endsWith('/') ? root.pathname : `${root.pathname}/`;
    const matches = target.pathname === root.pathname || `${target.pathname}/` === prefix || target.pathname.startsWith(prefix);
    if (matches && prefix.length > bestLength) {
      best = server;
      bestLength = prefix.length;
    }
  }
  return best;
}
