import { PopError } from '../errors/pop-error';

/**
 * The `htu` claim for a request to `url`: the absolute http(s) URL without query, fragment
 * and user info (as DPoP, RFC 9449), in the URL parser's normal form. Relative URLs resolve
 * against `base` (in a page, `document.baseURI`).
 */
export function toHtu(url: string, base: string = globalThis.document?.baseURI ?? 'http://localhost/'): string {
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch (cause) {
    throw new PopError('signing_failed', 'The request URL cannot be parsed, so it cannot be bound into a ClientJWT.', { cause });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new PopError('signing_failed', `Only http(s) requests can carry a ClientJWT, not ${parsed.protocol}.`);
  }
  return `${parsed.origin}${parsed.pathname}`;
}
