/**
 * Compact JWE for secrets (docs/protocol.md section 2): passwords and PINs in form fields,
 * and the HMAC key inside `hmac_key`.
 */

/** Key management algorithms: ECDH-ES+A256KW for EC and X25519 keys, RSA-OAEP-256 for RSA. */
export const KEY_MANAGEMENT_ALGORITHMS = ['ECDH-ES+A256KW', 'RSA-OAEP-256'] as const;
export type KeyManagementAlgorithm = (typeof KEY_MANAGEMENT_ALGORITHMS)[number];
/** The only content encryption algorithm. */
export const CONTENT_ENCRYPTION = 'A256GCM';

/** Curves a server key may use: ECDH on P-256/384/521 (kty EC) or X25519 (kty OKP). */
export const EC_CURVES: readonly string[] = ['P-256', 'P-384', 'P-521'];
export const OKP_CURVES: readonly string[] = ['X25519'];
/** RSA keys: at least 2048 bits, public exponent exactly 65537. */
export const MIN_RSA_MODULUS_BITS = 2048;
export const RSA_PUBLIC_EXPONENT = 65537;
/** 65537 as a JWK's `e`: the minimal base64url encoding RFC 7518 section 6.3.1.2 requires. */
export const RSA_PUBLIC_EXPONENT_JWK = 'AQAB';

/**
 * The key management algorithm for a key of this type and curve: ECDH-ES+A256KW for EC
 * P-256/384/521 and OKP X25519, RSA-OAEP-256 for RSA; undefined for anything else.
 */
export function keyManagementAlgorithmFor(kty: unknown, crv: unknown): KeyManagementAlgorithm | undefined {
  if (kty === 'RSA') return 'RSA-OAEP-256';
  if ((kty === 'EC' && EC_CURVES.includes(String(crv))) || (kty === 'OKP' && OKP_CURVES.includes(String(crv)))) return 'ECDH-ES+A256KW';
  return undefined;
}

/**
 * Protected header of a secret field's JWE. `iat`, `jti` and `aud` are JWT claims replicated
 * as header parameters (RFC 7519 section 5.3), authenticated by A256GCM: the server refuses a
 * JWE that is too old, already used, or meant for another endpoint. The `hmac_key` JWE does
 * not carry them: the ClientJWT around it has its own nonce, expiry and `htm`/`htu`.
 */
export interface SecretJweHeader {
  alg: KeyManagementAlgorithm;
  enc: typeof CONTENT_ENCRYPTION;
  /** The server key's `kid`, when it has one. */
  kid?: string;
  /** Seconds since the epoch when the secret was encrypted. */
  iat: number;
  /** `SECRET_JTI_BYTES` random bytes, base64url: the JWE's single-use id. */
  jti: string;
  /** The URL the secret is for, normalised like `htu` (origin and path). */
  aud: string;
}

/** Random bytes in a secret JWE's `jti` (128 bits). */
export const SECRET_JTI_BYTES = 16;
/** `jti`: base64url of `SECRET_JTI_BYTES` bytes (22 characters). */
export const SECRET_JTI_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * Compact JWE syntax (RFC 7516 section 7.1): five base64url segments; the encrypted key is
 * empty for direct key agreement, the other four are not.
 */
export const COMPACT_JWE_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** How long a server accepts a secret JWE after its `iat`, unless configured otherwise. */
export const DEFAULT_SECRET_MAX_AGE_SECONDS = 600;
/** Longest maximum age a server may be configured with. */
export const MAX_SECRET_MAX_AGE_SECONDS = 3600;

/** JWK members that only private or symmetric keys have (RFC 7518 section 6): never published. */
export const PRIVATE_JWK_MEMBERS: readonly string[] = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
