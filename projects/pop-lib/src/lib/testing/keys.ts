import { exportJWK, generateKeyPair, JWK } from 'jose';

/** Test helper: a fresh public JWK for encryption (ECDH P-256 unless RSA is asked for). */
export async function publicEncryptionJwk(members: Partial<JWK> = {}, type: 'EC' | 'RSA' = 'EC'): Promise<JWK> {
  const alg = type === 'EC' ? 'ECDH-ES+A256KW' : 'RSA-OAEP-256';
  const { publicKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(publicKey)), ...members };
}

/** Test helper: a JWKS response body. */
export function jwksBody(...keys: unknown[]): string {
  return JSON.stringify({ keys });
}
