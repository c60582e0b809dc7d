/**
 * What an RFC 9449 resource server checks on a DPoP-bound request (§4.3, §7.1), with jose:
 * `Authorization: DPoP <token>` and one `DPoP` proof (ES256, key embedded in its header),
 * `htm`/`htu`, `iat` within the skew, `jti` used once, `ath` = SHA-256 of the token, then the
 * access token itself against the issuer's JWKS and its `cnf.jkt` against the proof's key.
 * The HTTP benchmark's DPoP endpoint; not part of the package.
 */
import { createHash } from 'node:crypto';
import { EmbeddedJWK, calculateJwkThumbprint, createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { MemoryStore } from '../src/index.ts';
import { toHtu } from '../src/protocol.ts';

const SKEW_SECONDS = 30;
const DPOP_SCHEME = /^DPoP ([^\s]+)$/;

export interface DpopRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  dpop: string | string[] | undefined;
}

export function dpopVerifier(jwks: JSONWebKeySet, options: { issuer: string; audience: string }): (request: DpopRequest) => Promise<JWTPayload> {
  const keySet = createLocalJWKSet(jwks);
  const jtis = new MemoryStore();
  return async (request) => {
    const token = request.authorization === undefined ? undefined : DPOP_SCHEME.exec(request.authorization)?.[1];
    if (token === undefined) throw new Error('not a DPoP authorization');
    if (typeof request.dpop !== 'string') throw new Error('exactly one DPoP header required');
    const { payload: proof, protectedHeader } = await jwtVerify(request.dpop, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });
    if (proof.htm !== request.method) throw new Error('htm mismatch');
    if (typeof proof.htu !== 'string' || toHtu(proof.htu) !== toHtu(request.url)) throw new Error('htu mismatch');
    const nowSeconds = Date.now() / 1000;
    if (typeof proof.iat !== 'number' || Math.abs(proof.iat - nowSeconds) > SKEW_SECONDS) throw new Error('iat out of range');
    if (proof['ath'] !== createHash('sha256').update(token).digest('base64url')) throw new Error('ath mismatch');
    if (typeof proof.jti !== 'string' || proof.jti.length > 64) throw new Error('jti missing');
    if (!(await jtis.setIfAbsent(proof.jti, '1', (nowSeconds + 2 * SKEW_SECONDS) * 1000))) throw new Error('jti replayed');
    const { payload } = await jwtVerify(token, keySet, { ...options, algorithms: ['ES256'], requiredClaims: ['exp'] });
    const cnf = payload['cnf'] as { jkt?: unknown } | undefined;
    if (!protectedHeader.jwk || cnf?.jkt !== (await calculateJwkThumbprint(protectedHeader.jwk))) throw new Error('cnf.jkt mismatch');
    return payload;
  };
}
