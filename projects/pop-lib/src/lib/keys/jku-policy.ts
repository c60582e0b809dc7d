import { isSecureOrLoopback, tryParseUrl } from '../config/url-policy';
import { PopError } from '../errors/pop-error';

/**
 * Checks a `cnf.jku` before anything is fetched: an absolute URL without credentials or
 * fragment, https (http only on loopback hosts), on one of the allowed origins.
 * Every refusal is `jku_not_allowed` naming the URL.
 */
export function assertJkuAllowed(jku: string, allowedOrigins: ReadonlySet<string>): URL {
  const url = tryParseUrl(jku);
  if (!url) {
    throw new PopError('cnf_invalid', `The access token's "cnf.jku" ${JSON.stringify(jku.slice(0, 200))} is not an absolute URL.`);
  }
  if (url.username || url.password || url.hash) {
    throw new PopError('jku_not_allowed', `The jku ${url.origin}${url.pathname} carries credentials or a fragment; refused.`);
  }
  if (!isSecureOrLoopback(url)) {
    throw new PopError('jku_not_allowed', `The jku ${url.href} is not https (plain http is allowed only for loopback hosts); refused.`);
  }
  if (!allowedOrigins.has(url.origin)) {
    throw new PopError(
      'jku_not_allowed',
      `The jku ${url.href} is on origin ${url.origin}, which is not allowed (allowed: ${[...allowedOrigins].join(', ') || 'none'}).`,
    );
  }
  return url;
}
