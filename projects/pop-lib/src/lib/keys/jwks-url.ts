import type { ResourceServerConfig } from '../config/pop-config';
import { isSecureOrLoopback, tryParseUrl } from '../config/url-policy';
import { PopError } from '../errors/pop-error';

/**
 * The absolute URL of a resource server's JWKS: `jwksUrl`, else `{baseUrl}/pop-keys.json`,
 * resolved against the page base URL `base`. Absolute http URLs were refused at start-up; a
 * relative one inherits the page's scheme, so plain http is refused here unless on loopback.
 */
export function jwksUrlOf(server: ResourceServerConfig, base: string | undefined): string {
  const configured = server.jwksUrl ?? `${server.baseUrl.replace(/\/+$/, '')}/pop-keys.json`;
  const url = tryParseUrl(configured, base);
  if (!url) {
    throw new PopError('config_invalid', `The JWKS URL ${configured} does not parse${base === undefined ? ' (a relative URL, and no page base URL is known here)' : ''}.`);
  }
  if (!isSecureOrLoopback(url)) {
    throw new PopError('jwks_fetch_failed', `Refusing to fetch keys from ${url.href}: plain http is allowed only for loopback hosts.`);
  }
  return url.href;
}
