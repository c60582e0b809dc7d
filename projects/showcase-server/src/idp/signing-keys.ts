/**
 * The provider's token signing key: ES256, generated at start-up (tokens die with the process,
 * which suits a demo). The private JWK configures oidc-provider; the public set is what it
 * publishes at `/idp/jwks` and what the bank verifies access tokens with.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export interface SigningKeys {
  /** For oidc-provider's `jwks` option (private members included). */
  privateJwks: { keys: JWK[] };
  /** The same keys' public parts. */
  publicJwks: { keys: JWK[] };
}

export async function generateSigningKeys(): Promise<SigningKeys> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const members = { kid, alg: 'ES256', use: 'sig' };
  return {
    privateJwks: { keys: [{ ...(await exportJWK(privateKey)), ...members }] },
    publicJwks: { keys: [{ ...publicJwk, ...members }] },
  };
}
