/**
 * One ready-made access token validator: a JWT signed by a key from a JWKS (remote URL or a
 * local key set), with issuer and audience checks, through jose's `jwtVerify`.
 */
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { AccessTokenValidator } from './verifier.ts';

export interface JwksValidatorOptions {
  issuer?: string | string[];
  audience?: string | string[];
  /** Accepted signature algorithms (default ES256, ES384, PS256, RS256, EdDSA; never HS* or none). */
  algorithms?: string[];
  /** Clock tolerance in seconds (default 30). */
  clockTolerance?: number;
}

const ASYMMETRIC = ['ES256', 'ES384', 'ES512', 'PS256', 'RS256', 'EdDSA', 'Ed25519'];

export function jwksAccessTokenValidator(jwks: URL | string | JSONWebKeySet, options: JwksValidatorOptions = {}): AccessTokenValidator<JWTPayload> {
  const keySet = typeof jwks === 'string' || jwks instanceof URL ? createRemoteJWKSet(new URL(jwks)) : createLocalJWKSet(jwks);
  const algorithms = options.algorithms ?? ASYMMETRIC;
  return async (accessToken) => {
    const { payload } = await jwtVerify(accessToken, keySet, {
      algorithms,
      clockTolerance: options.clockTolerance ?? 30,
      requiredClaims: ['exp'],
      ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
      ...(options.audience !== undefined ? { audience: options.audience } : {}),
    });
    return payload;
  };
}
