/** Longest `WWW-Authenticate` value read; a longer one is ignored, never parsed. */
const MAX_CHALLENGE_LENGTH = 4096;
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
/** Comma-separated items, commas inside quoted strings kept. */
const ITEM = /(?:[^,"]|"(?:[^"\\]|\\.)*")+/g;
const SCHEME_THEN_PARAM = new RegExp(`^(${TOKEN})(?:\\s+(.*))?$`, 's');
const PARAM = new RegExp(`^(${TOKEN})\\s*=\\s*(?:(${TOKEN})|"((?:[^"\\\\]|\\\\.)*)")$`, 's');

/**
 * The `error` parameter of the `Bearer` challenge in a `WWW-Authenticate` header value
 * (RFC 7235 / RFC 6750 section 3), or undefined when there is none. Other schemes'
 * parameters never count, so `DPoP error="…"` is not mistaken for a Bearer error.
 */
export function bearerChallengeError(header: string | null | undefined): string | undefined {
  if (typeof header !== 'string' || header.length > MAX_CHALLENGE_LENGTH) return undefined;
  let inBearer = false;
  for (const [raw] of header.matchAll(ITEM)) {
    const item = raw.trim();
    if (item.length === 0) continue;
    let param = item;
    if (!PARAM.test(item)) {
      const challenge = SCHEME_THEN_PARAM.exec(item);
      if (!challenge) return undefined;
      inBearer = challenge[1]?.toLowerCase() === 'bearer';
      param = challenge[2]?.trim() ?? '';
      if (param.length === 0) continue;
    }
    const match = PARAM.exec(param);
    // Not a parameter (e.g. a token68): nothing to read in this challenge.
    if (!match) continue;
    if (inBearer && match[1]?.toLowerCase() === 'error') {
      return match[2] ?? match[3]?.replace(/\\(.)/gs, '$1');
    }
  }
  return undefined;
}
