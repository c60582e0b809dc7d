/**
 * What the benchmarks' clients send, built before the clock starts: ES256 access tokens of
 * about 1 KB from the test identity provider, single-use ClientJWTs (test/client.ts, as
 * pop-lib builds them: HS256 over the claims of docs/protocol.md §3, a new nonce each) and
 * RFC 9449 DPoP proofs (the `dpop` package, with `ath`). Not part of the package.
 */
import { randomBytes } from 'node:crypto';
import { generateProof, type KeyPair } from 'dpop';
import type { JWK } from 'jose';
import { clientJwt, newHmacKey, type TestIssuer } from '../test/client.ts';

/** An access token from `issuer` padded with an `ext` claim to about 1 KB, the size of a real one. */
export async function paddedAccessToken(issuer: TestIssuer, claims: Record<string, unknown>, lifetimeSeconds: number): Promise<string> {
  const short = await issuer.accessToken(claims, lifetimeSeconds);
  // base64url: 4 characters per 3 bytes; 8 for `,"ext":""`.
  return issuer.accessToken({ ...claims, ext: 'x'.repeat(Math.max(0, Math.floor(((1024 - short.length) * 3) / 4) - 8)) }, lifetimeSeconds);
}

/** A client's HMAC key for one access token, and ClientJWTs signed with it. */
export interface ClientJwtSigner {
  /** A ClientJWT that carries `hmac_key` (the first request, which registers the key). */
  registration(method: string, url: string): Promise<string>;
  /** `count` ClientJWTs for `method url`, each with a new nonce. */
  pool(count: number, method: string, url: string): Promise<string[]>;
}

export function clientJwtSigner(accessToken: string, serverJwk: JWK): ClientJwtSigner {
  const key = newHmacKey();
  // Consecutive nonces: never a repeat (which the server would refuse) however large the pool.
  let nonce = Number(randomBytes(4).readUInt32BE()) * 1024;
  const sign = (method: string, url: string, withKey: boolean) =>
    clientJwt({ key, accessToken, method, url, nonce: nonce++, lifetimeSeconds: 60, ...(withKey ? { serverJwk } : {}) });
  return {
    registration: (method, url) => sign(method, url, true),
    async pool(count, method, url) {
      const tokens: string[] = [];
      for (let i = 0; i < count; i++) tokens.push(await sign(method, url, false));
      return tokens;
    },
  };
}

/** `count` DPoP proofs for `method url` bound to `accessToken` (`ath`), each with a new `jti`. */
export async function dpopProofs(keyPair: KeyPair, count: number, method: string, url: string, accessToken: string): Promise<string[]> {
  const proofs: string[] = [];
  for (let i = 0; i < count; i++) proofs.push(await generateProof(keyPair, url, method, undefined, accessToken));
  return proofs;
}
