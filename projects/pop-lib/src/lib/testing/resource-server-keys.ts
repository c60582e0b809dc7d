import { compactDecrypt, compactVerify, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, JWK } from 'jose';
import { toEncryptionKey } from '../keys/encryption-key';
import type { ResolvedKey } from '../keys/key-resolver.service';

/** Test helper: a resource server's ECDH-ES key pair, as the key resolver would return it. */
export interface TestServerKey {
  publicJwk: JWK;
  privateKey: CryptoKey;
  resolved: ResolvedKey;
}

export async function makeServerKey(baseUrl: string, kid = 'bank-enc-1'): Promise<TestServerKey> {
  const { publicKey, privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'enc' };
  const encryptionKey = await toEncryptionKey(publicJwk);
  return { publicJwk, privateKey, resolved: { ...encryptionKey, source: 'config', baseUrl } };
}

/** Test helper: what the server does with `hmac_key` — decrypt it with its private key. */
export async function openHmacKey(hmacKeyJwe: string, privateKey: CryptoKey): Promise<JWK> {
  const { plaintext, protectedHeader } = await compactDecrypt(hmacKeyJwe, privateKey, {
    keyManagementAlgorithms: ['ECDH-ES+A256KW'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  if (protectedHeader.zip !== undefined) throw new Error('zip must not be used');
  return JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
}

/** Test helper: verifies a ClientJWT's HS256 signature with the HMAC JWK; returns its claims. */
export async function verifyClientJwt(jwt: string, hmacJwk: JWK): Promise<Record<string, unknown>> {
  const key = await importJWK(hmacJwk, 'HS256');
  const { payload } = await compactVerify(jwt, key, { algorithms: ['HS256'] });
  return JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
}

/** Test helper: header and claims of a ClientJWT, unverified. */
export function decodeClientJwt(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  return { header: decodeProtectedHeader(jwt) as Record<string, unknown>, claims: decodeJwt(jwt) as Record<string, unknown> };
}

/** Test helper: the ClientJWT in an `Authorization: Bearer …` header value. */
export function bearerOf(header: string | null): string {
  if (header === null || !header.startsWith('Bearer ')) throw new Error(`not a Bearer header: ${String(header)}`);
  return header.slice('Bearer '.length);
}
