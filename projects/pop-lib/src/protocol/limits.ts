/**
 * Size limits (docs/protocol.md section 5), checked before any parsing or crypto. The client
 * never builds what the server would refuse: the server's limits on whole values (the
 * `Authorization` header, a secret's JWE) are derived here from the limits on their parts.
 */
import { CLIENT_JWT_ALG, CLIENT_JWT_TYP } from './client-jwt.ts';
import { MAX_HMAC_KEY_BYTES } from './hmac-key.ts';
import { CONTENT_ENCRYPTION, SECRET_JTI_BYTES } from './secret-jwe.ts';

/** Longest token string either side parses: a wrapper JWT or token response's access token. */
export const MAX_TOKEN_LENGTH = 16 * 1024;
/** Longest access token a ClientJWT wraps (characters of an RFC 6750 bearer token). */
export const MAX_ACCESS_TOKEN_LENGTH = 8 * 1024;
/** Longest `htm`: an RFC 9110 method token ("VERSION-CONTROL" has 15 characters). */
export const MAX_HTM_LENGTH = 16;
/** Longest `htu`, and a secret's `aud`: origin and path, without query. */
export const MAX_HTU_LENGTH = 1024;
/** Longest `kid`, of a server key or an HMAC key. */
export const MAX_KID_LENGTH = 128;
/** Largest RSA server key (bits): bounds the size of a JWE's encrypted key. */
export const MAX_RSA_MODULUS_BITS = 4096;
/** Largest JWKS response (UTF-8 bytes) and most keys read from it. */
export const MAX_JWKS_BYTES = 64 * 1024;
export const MAX_JWKS_KEYS = 100;
/** Longest secret a client may be configured to encrypt (UTF-8 bytes), and the default. */
export const MAX_SECRET_BYTES = 8 * 1024;
export const DEFAULT_MAX_SECRET_BYTES = 4 * 1024;

/** Characters of the unpadded base64url encoding of `bytes` bytes (RFC 4648 section 5). */
export function base64urlLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

const longKid = 'k'.repeat(MAX_KID_LENGTH);
/** The largest ephemeral key jose puts in an ECDH-ES header (P-521: 66-byte coordinates). */
const largestEpk = { x: 'x'.repeat(base64urlLength(66)), crv: 'P-521', kty: 'EC', y: 'y'.repeat(base64urlLength(66)) };

/** Longest compact JWE of `plaintextBytes` bytes whose protected header has `extraHeader` too. */
function maxJweLength(plaintextBytes: number, extraHeader: Record<string, unknown>): number {
  const header = { alg: 'ECDH-ES+A256KW', enc: CONTENT_ENCRYPTION, kid: longKid, ...extraHeader, epk: largestEpk };
  const segments = [
    base64urlLength(JSON.stringify(header).length),
    base64urlLength(MAX_RSA_MODULUS_BITS / 8), // RSA-OAEP's encrypted key is the longest
    base64urlLength(12), // A256GCM IV
    base64urlLength(plaintextBytes),
    base64urlLength(16), // A256GCM tag
  ];
  return segments.reduce((sum, length) => sum + length, segments.length - 1);
}

/** Longest `hmac_key`: a JWE of the largest HMAC JWK the server accepts (512 bits). */
export const MAX_HMAC_KEY_JWE_LENGTH = maxJweLength(
  JSON.stringify({ kty: 'oct', alg: CLIENT_JWT_ALG, kid: longKid, k: 'k'.repeat(base64urlLength(MAX_HMAC_KEY_BYTES)) }).length,
  {},
);

/** Longest secret field value: a JWE of `MAX_SECRET_BYTES` with `iat`, `jti` and `aud`. */
export const MAX_SECRET_JWE_LENGTH = maxJweLength(MAX_SECRET_BYTES, {
  iat: Number.MAX_SAFE_INTEGER,
  jti: 'j'.repeat(base64urlLength(SECRET_JTI_BYTES)),
  aud: 'a'.repeat(MAX_HTU_LENGTH),
});

/** Longest ClientJWT: every claim at its limit. */
export const MAX_CLIENT_JWT_LENGTH =
  base64urlLength(JSON.stringify({ alg: CLIENT_JWT_ALG, typ: CLIENT_JWT_TYP, kid: longKid }).length) +
  1 +
  base64urlLength(
    JSON.stringify({
      access_token: 'a'.repeat(MAX_ACCESS_TOKEN_LENGTH),
      nonce: Number.MAX_SAFE_INTEGER,
      timestamp: Number.MAX_SAFE_INTEGER,
      exp: Number.MAX_SAFE_INTEGER,
      htm: 'M'.repeat(MAX_HTM_LENGTH),
      htu: 'u'.repeat(MAX_HTU_LENGTH),
      hmac_key: 'h'.repeat(MAX_HMAC_KEY_JWE_LENGTH),
    }).length,
  ) +
  1 +
  base64urlLength(32); // HS256 signature

/** Longest `Authorization` header the server reads: `Bearer ` and the longest ClientJWT. */
export const MAX_AUTHORIZATION_LENGTH = 'Bearer '.length + MAX_CLIENT_JWT_LENGTH;
