import * as base64url from 'jose/base64url';
import { CLIENT_JWT_ALG, HMAC_KEY_BYTES, HMAC_KID_BYTES, type HmacJwk } from '../../protocol';
import { PopError } from '../errors/pop-error';

/** What signing needs: the key's id and a non-extractable WebCrypto key. */
export interface HmacSigningKey {
  readonly kid: string;
  readonly key: CryptoKey;
}

/**
 * A fresh 256-bit HS256 key as a JWK with a 128-bit random `kid`. WebCrypto generates the key
 * and writes its `k` (what jose's `generateSecret` and `exportJWK` would call, without
 * pulling jose's key export code into the app's bundle).
 */
export async function generateHmacJwk(): Promise<HmacJwk> {
  const secret = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: HMAC_KEY_BYTES * 8 }, true, ['sign']);
  const { k } = await crypto.subtle.exportKey('jwk', secret);
  if (typeof k !== 'string') {
    throw new PopError('signing_failed', 'The HMAC key could not be exported as a JWK.');
  }
  const kid = base64url.encode(crypto.getRandomValues(new Uint8Array(HMAC_KID_BYTES)));
  return { kty: 'oct', alg: CLIENT_JWT_ALG, kid, k };
}

/**
 * Imports `jwk` as a non-extractable HMAC-SHA-256 signing key: once the JWK has been
 * encrypted for the server, script (including injected script) cannot read the key back.
 */
export async function toSigningKey(jwk: HmacJwk): Promise<HmacSigningKey> {
  try {
    const key = await crypto.subtle.importKey(
      'jwk',
      { kty: 'oct', alg: CLIENT_JWT_ALG, k: jwk.k },
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    return { kid: jwk.kid, key };
  } catch (cause) {
    throw new PopError('signing_failed', 'The HMAC key could not be imported for signing.', { cause });
  }
}
