import type { JWK, JWTPayload } from 'jose';
import { PopError } from '../errors/pop-error';
import { extractAccessToken, OAuthToken } from '../tokens/access-token';
import { readClaims } from '../tokens/read-claims';
import { assertKid } from './kid';

/** Longest `cnf.jku` accepted. */
const MAX_JKU_LENGTH = 2048;

/** RFC 7800 confirmation hints the library acts on (`cnf` holds exactly one of them). */
export type CnfHint = { jwk: JWK } | { jku: string; kid?: string };

/** Which token claims may name the resource server's key (`useCnfClaim`, `keyClaim`). */
export interface KeyHintSources {
  /** Read the access token's RFC 7800 `cnf` claim. */
  cnf: boolean;
  /** Name of the claim carrying the server's JWK, or false to read none. */
  claim: string | false;
}

/** Where a token says the resource server's key is. */
export interface KeyHints {
  /** The access token's `cnf` claim, when it has `jwk` or `jku`. */
  cnf?: CnfHint;
  /** The `res_pub_key` (configurable) claim: from the token wrapper first, then the access token. */
  claim?: JWK;
}

/**
 * Reads the key hints of an OAuth token (a compact JWT, a wrapper JWT with an `access_token`
 * claim, or a token response object) without verifying it. An opaque access token has no
 * hints. A hint that is present but malformed is an error, never skipped: falling through to
 * another source would hide a broken or tampered token. A source switched off in `sources`
 * is not read at all, so it can neither supply a key nor fail the lookup.
 */
export function readKeyHints(oAuthToken: OAuthToken, sources: KeyHintSources): KeyHints {
  if (!sources.cnf && sources.claim === false) return {};
  if (typeof oAuthToken === 'string' && !looksLikeJwt(oAuthToken)) return {}; // opaque access token
  const accessToken = extractAccessToken(oAuthToken);
  const accessClaims = looksLikeJwt(accessToken) ? readClaims(accessToken) : undefined;
  let wrapperClaims: Record<string, unknown> | undefined;
  if (typeof oAuthToken === 'object') wrapperClaims = oAuthToken;
  else if (oAuthToken !== accessToken) wrapperClaims = readClaims(oAuthToken);
  const hints: KeyHints = {};
  const cnf = sources.cnf && accessClaims ? readCnf(accessClaims) : undefined;
  if (cnf) hints.cnf = cnf;
  if (sources.claim !== false) {
    const claim = claimJwk(wrapperClaims, sources.claim) ?? claimJwk(accessClaims, sources.claim);
    if (claim) hints.claim = claim;
  }
  return hints;
}

/**
 * `JWTPublicKeyExtractor.extractKey`: the server JWK in the `res_pub_key` (or
 * `claimName`) claim of the token wrapper, else of the access token; undefined when absent.
 */
export const JWTPublicKeyExtractor = {
  extractKey(oAuthToken: OAuthToken, claimName = 'res_pub_key'): JWK | undefined {
    return readKeyHints(oAuthToken, { cnf: false, claim: claimName }).claim;
  },
} as const;

/** RFC 7800 section 3: `cnf` is an object; this library reads its `jwk` or `jku` (+ `kid`). */
function readCnf(claims: JWTPayload): CnfHint | undefined {
  const cnf: unknown = claims['cnf'];
  if (cnf === undefined) return undefined;
  if (!isRecord(cnf)) throw new PopError('cnf_invalid', 'The access token\'s "cnf" claim is not an object.');
  const { jwk, jku, kid } = cnf;
  if (jwk !== undefined && jku !== undefined) {
    throw new PopError('cnf_invalid', 'The access token\'s "cnf" has both "jwk" and "jku"; it must hold exactly one.');
  }
  if (jwk !== undefined) {
    if (!isRecord(jwk)) throw new PopError('cnf_invalid', 'The access token\'s "cnf.jwk" is not a JWK object.');
    return { jwk: jwk as JWK };
  }
  if (jku !== undefined) {
    if (typeof jku !== 'string' || jku.length === 0 || jku.length > MAX_JKU_LENGTH) {
      throw new PopError('cnf_invalid', `The access token's "cnf.jku" must be a URL of at most ${MAX_JKU_LENGTH} characters.`);
    }
    if (kid === undefined) return { jku };
    assertKid(kid, 'The access token\'s "cnf.kid"', 'cnf_invalid');
    return { jku, kid };
  }
  // Other confirmation methods (jkt, x5t#S256, kid alone) name the client's key: not ours.
  return undefined;
}

function claimJwk(claims: Record<string, unknown> | undefined, name: string): JWK | undefined {
  const value = claims?.[name];
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new PopError('key_invalid', `The "${name}" claim is not a JWK object.`);
  return value as JWK;
}

function looksLikeJwt(token: string): boolean {
  return token.split('.').length === 3;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
