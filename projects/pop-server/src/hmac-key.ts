/** The client's HMAC key as it arrives: a JWK (protocol §3) inside the `hmac_key` JWE. */
import { base64url } from 'jose';
import { VerificationError } from './errors.ts';
import { CLIENT_JWT_ALG, MAX_HMAC_KEY_BYTES, MIN_HMAC_KEY_BYTES } from './protocol.ts';

const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The key (`k`, base64url) of the decrypted HMAC JWK, after checking it: `oct`, HS256 (or no
 * `alg`), 256 to 512 bits, and a `kid` equal to the ClientJWT header's.
 */
export function parseHmacJwk(plaintext: Uint8Array, headerKid: string): string {
  let jwk: unknown;
  try {
    jwk = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    throw invalid('hmac_key does not hold a JSON JWK');
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw invalid('hmac_key does not hold a JWK object');
  const { kty, k, kid, alg } = jwk as Record<string, unknown>;
  if (kty !== 'oct') throw invalid('hmac_key must be an oct key');
  if (alg !== undefined && alg !== CLIENT_JWT_ALG) throw invalid(`hmac_key alg must be ${CLIENT_JWT_ALG}`);
  if (kid !== headerKid) throw invalid('hmac_key kid differs from the ClientJWT kid');
  if (typeof k !== 'string' || !B64URL.test(k) || k.length > 2 * MAX_HMAC_KEY_BYTES) throw invalid('hmac_key k is invalid');
  const bytes = base64url.decode(k).length;
  if (bytes < MIN_HMAC_KEY_BYTES || bytes > MAX_HMAC_KEY_BYTES) throw invalid('hmac_key must have 256 to 512 bits');
  return k;
}

function invalid(description: string): VerificationError {
  return new VerificationError('invalid_token', 'hmac_key_invalid', description);
}
