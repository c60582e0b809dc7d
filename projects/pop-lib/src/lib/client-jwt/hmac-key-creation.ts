import type { HmacJwk } from '../../protocol';
import { compactEncrypt } from '../credentials/compact-encrypt';
import type { EncryptionKey } from '../keys/encryption-key';
import { toSigningKey } from './hmac-key';
import { hmacKeyRecordExpiry } from './hmac-key-expiry';
import type { HmacKeyRecord } from './hmac-key-record';

/**
 * The record of a new HMAC key (protocol section 3): `jwk` encrypted to the resource server's
 * key as the `hmac_key` JWE (without `iat`/`jti`/`aud`: the ClientJWT around it has its own
 * nonce, expiry and `htm`/`htu`), then imported non-extractable for signing; the raw JWK is
 * not kept. It expires with the access token (`hmacKeyRecordExpiry`).
 */
export async function createHmacKeyRecord(jwk: HmacJwk, serverKey: EncryptionKey, accessToken: string, now: number): Promise<HmacKeyRecord> {
  // The HMAC JWK is key material, not a user secret: credentials.maxSecretBytes does not apply.
  const hmacKeyJwe = await compactEncrypt(new TextEncoder().encode(JSON.stringify(jwk)), serverKey);
  const signingKey = await toSigningKey(jwk);
  return { signingKey: signingKey.key, kid: signingKey.kid, hmacKeyJwe, registered: false, expiresAt: hmacKeyRecordExpiry(accessToken, now) };
}
