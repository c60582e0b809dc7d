import { base64url, exportJWK, generateSecret } from 'jose';
import { PopError } from '../errors/pop-error';

/** The per-token HMAC key as it travels (encrypted) to the server (protocol section 3). */
export interface HmacJwk {
  kty: 'oct';
  alg: 'HS256';
  /** 128 random bits, base64url. */
  kid: string;
  /** 256 random bits, base64url. */
  k: string;
}

/** What signing needs: the key's id and a non-extractable WebCrypto key. */
export interface HmacSigningKey {
  readonly kid: string;
  readonly key: CryptoKey;
}

const KID_BYTES = 16;

/** A fresh 256-bit HS256 key as a JWK with a 128-bit random `kid`. */
export async function generateHmacJwk(): Promise<HmacJwk> {
  const secret = await generateSecret('HS256', { extractable: true });
  const { k } = await exportJWK(secret);
  if (typeof k !== 'string') {
    throw new PopError('signing_failed', 'The HMAC key could not be exported as a JWK.');
  }
  const kid = base64url.encode(crypto.getRandomValues(new Uint8Array(KID_BYTES)));
  return { kty: 'oct', alg: 'HS256', kid, k };
}

/**
 * Imports `jwk` as a non-extractable HMAC-SHA-256 signing key: once the JWK has been
 * encrypted for the server, script (including injected script) cannot read the key back.
 */
export async function toSigningKey(jwk: HmacJwk): Promise<HmacSigningKey> {
  try {
    const key = await crypto.subtle.importKey(
      'jwk',
      { kty: 'oct', alg: 'HS256', k: jwk.k },
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    return { kid: jwk.kid, key };
  } catch (cause) {
    throw new PopError('signing_failed', 'The HMAC key could not be imported for signing.', { cause });
  }
}
