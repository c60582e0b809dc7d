import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** The server key types the library encrypts to, as the specs and benchmarks name them. */
export type ServerKeyType = 'P-256' | 'P-384' | 'P-521' | 'X25519' | 'RSA-2048' | 'RSA-4096';

export const SERVER_KEY_TYPES: readonly ServerKeyType[] = ['P-256', 'P-384', 'P-521', 'X25519', 'RSA-2048', 'RSA-4096'];

/** Test helper: a server's key pair, its public JWK (with a kid) and its private CryptoKey. */
export interface ServerKeyPair {
  type: ServerKeyType;
  publicJwk: JWK;
  publicKey: CryptoKey;
  privateKey: CryptoKey;
}

/** Test helper: a fresh server key pair of `type`, public half exported as a JWK. */
export async function serverKeyPair(type: ServerKeyType, kid = `test-${type}`): Promise<ServerKeyPair> {
  const rsaBits = type === 'RSA-2048' ? 2048 : type === 'RSA-4096' ? 4096 : undefined;
  const { publicKey, privateKey } = rsaBits
    ? await generateKeyPair('RSA-OAEP-256', { modulusLength: rsaBits, extractable: true })
    : await generateKeyPair('ECDH-ES+A256KW', { crv: type, extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, use: 'enc' };
  return { type, publicJwk, publicKey, privateKey };
}
