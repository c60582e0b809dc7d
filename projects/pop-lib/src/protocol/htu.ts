/**
 * `htu` normalisation (docs/protocol.md section 3), shared by the client that writes the
 * claim and the server that compares it, and used for a secret JWE's `aud`.
 */
import { MAX_HTU_LENGTH } from './limits.ts';

/**
 * The absolute http(s) URL `url` (resolved against `base` when relative) without query,
 * fragment and user info, in the WHATWG URL parser's normal form: `origin + pathname`
 * (scheme and host lower-cased, default port dropped, dot segments removed). Undefined when
 * it does not parse, is not http(s), or is longer than `MAX_HTU_LENGTH`.
 */
export function toHtu(url: string, base?: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    return undefined;
  }
  return htuOf(parsed);
}

/**
 * `toHtu` of a URL already parsed (or of its parts, read once), for callers that need the
 * parsed URL for something else too (the client matches it against its resource servers).
 */
export function htuOf(url: Pick<URL, 'protocol' | 'origin' | 'pathname'>): string | undefined {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const htu = `${url.origin}${url.pathname}`;
  return htu.length <= MAX_HTU_LENGTH ? htu : undefined;
}
