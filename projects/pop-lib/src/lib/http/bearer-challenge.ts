/** Longest `WWW-Authenticate` value read; a longer one is ignored, never parsed. */
const MAX_CHALLENGE_LENGTH = 4096;
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
/** Comma-separated items, commas inside quoted strings kept. */
const ITEM = /(?:[^,"]|"(?:[^"\\]|\\.)*")+/g;
const SCHEME_THEN_PARAM = new RegExp(`^(${TOKEN})(?:\\s+(.*))?$`, 's');
const PARAM = new RegExp(`^(${TOKEN})\\s*=\\s*(?:(${TOKEN})|"((?:[^"\\\\]|\\\\.)*)")$`, 's');

/** What a `Bearer` challenge says about a refused request (RFC 6750 section 3). */
export interface BearerChallenge {
  /** `error`, e.g. `invalid_token`. */
  error?: string;
  /** `error_description`, human-readable; compare only with known, exact texts. */
  errorDescription?: string;
}

interface Challenge {
  scheme: string;
  params: Map<string, string>;
  /** A parameter name appeared twice (RFC 7235 section 2.1 forbids it): the challenge is ambiguous. */
  ambiguous: boolean;
}

/**
 * The first `Bearer` challenge in a `WWW-Authenticate` header value (RFC 7235 section 4.1,
 * RFC 6750 section 3), or undefined when there is none or the header cannot be parsed.
 * Other schemes' parameters never count, so `DPoP error="…"` is not mistaken for a Bearer
 * error, and text inside a quoted value is never read as a parameter. A Bearer challenge
 * that names a parameter twice is ambiguous and ignored.
 */
export function bearerChallenge(header: string | null | undefined): BearerChallenge | undefined {
  const challenges = parseChallenges(header);
  const bearer = challenges?.find((c) => c.scheme === 'bearer');
  if (!bearer || bearer.ambiguous) return undefined;
  const error = bearer.params.get('error');
  const errorDescription = bearer.params.get('error_description');
  return {
    ...(error === undefined ? {} : { error }),
    ...(errorDescription === undefined ? {} : { errorDescription }),
  };
}

/** All challenges of the header, or undefined when it is missing, too long or malformed. */
function parseChallenges(header: string | null | undefined): Challenge[] | undefined {
  if (typeof header !== 'string' || header.length > MAX_CHALLENGE_LENGTH) return undefined;
  const challenges: Challenge[] = [];
  for (const [raw] of header.matchAll(ITEM)) {
    const item = raw.trim();
    if (item.length === 0) continue;
    let param = item;
    if (!PARAM.test(item)) {
      const start = SCHEME_THEN_PARAM.exec(item);
      if (!start) return undefined;
      challenges.push({ scheme: (start[1] ?? '').toLowerCase(), params: new Map(), ambiguous: false });
      param = start[2]?.trim() ?? '';
      if (param.length === 0) continue;
    }
    const current = challenges.at(-1);
    // A parameter before any scheme: not a challenge list.
    if (!current) return undefined;
    const match = PARAM.exec(param);
    // Not a parameter (e.g. a token68): nothing to read in this challenge.
    if (!match) continue;
    const name = (match[1] ?? '').toLowerCase();
    if (current.params.has(name)) current.ambiguous = true;
    current.params.set(name, match[2] ?? (match[3] ?? '').replace(/\\(.)/gs, '$1'));
  }
  return challenges;
}
