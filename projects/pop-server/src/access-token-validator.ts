/**
 * A ready-made access token validator: a JWT signed by a key from a JWKS (remote URL or a
 * local key set), with issuer and audience checks, through jose's `jwtVerify`.
 */
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { PopServerConfigError } from './errors.ts';
import { assertOptions, integerIn, isFunction, type Rule } from './options.ts';
import { DEFAULT_CLOCK_SKEW_SECONDS, MAX_CLOCK_SKEW_SECONDS } from './protocol.ts';
import type { AccessTokenValidator } from './verifier.ts';

export interface JwksValidatorOptions {
  issuer?: string | string[];
  audience?: string | string[];
  /** Accepted signature algorithms, a subset of the default: ES256, ES384, ES512, PS256, RS256, EdDSA, Ed25519 (never HS* or none). */
  algorithms?: string[];
  /** Clock tolerance in seconds, 0 to 300 (default 30). */
  clockTolerance?: number;
  /** Clock in epoch milliseconds for `exp`/`nbf`/`iat` (default `Date.now`), e.g. the verifier's `now` in tests. */
  now?: () => number;
}

const ASYMMETRIC = ['ES256', 'ES384', 'ES512', 'PS256', 'RS256', 'EdDSA', 'Ed25519'];

const stringOrStrings: Rule = (value) =>
  typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) ? undefined : 'must be a string or a non-empty array of strings';

/**
 * Validates access tokens against a JWKS: a URL (fetched and cached by jose) or a key set.
 * Returns the token's claims; rejects expired tokens, tokens without `exp`, other issuers and
 * audiences (when given) and algorithms outside the asymmetric allow-list.
 */
export function jwksAccessTokenValidator(jwks: URL | string | JSONWebKeySet, options: JwksValidatorOptions = {}): AccessTokenValidator<JWTPayload> {
  assertOptions('jwksAccessTokenValidator options', options, {
    issuer: { rule: stringOrStrings },
    audience: { rule: stringOrStrings },
    algorithms: { rule: (v) => (Array.isArray(v) && v.length > 0 && v.every((a) => ASYMMETRIC.includes(a as string)) ? undefined : `must be a non-empty subset of ${ASYMMETRIC.join(', ')}`) },
    clockTolerance: { rule: integerIn(0, MAX_CLOCK_SKEW_SECONDS) },
    now: { rule: isFunction },
  });
  const keySet = typeof jwks === 'string' || jwks instanceof URL ? createRemoteJWKSet(remoteJwksUrl(jwks)) : createLocalJWKSet(jwks);
  const algorithms = options.algorithms ?? ASYMMETRIC;
  return async (accessToken) => {
    const { payload } = await jwtVerify(accessToken, keySet, {
      algorithms,
      clockTolerance: options.clockTolerance ?? DEFAULT_CLOCK_SKEW_SECONDS,
      requiredClaims: ['exp'],
      ...(options.now !== undefined ? { currentDate: new Date(options.now()) } : {}),
      ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
      ...(options.audience !== undefined ? { audience: options.audience } : {}),
    });
    return payload;
  };
}

function remoteJwksUrl(jwks: URL | string): URL {
  try {
    const url = new URL(jwks);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  } catch {
    // reported below
  }
  throw new PopServerConfigError('jwksAccessTokenValidator', [`jwks: must be an http(s) URL or a JSON Web Key Set (got ${JSON.stringify(String(jwks).slice(0, 80))})`]);
}
