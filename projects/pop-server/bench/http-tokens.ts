/**
 * What the HTTP benchmark's clients send, built before the clock starts: ES256 access
 * tokens of about 1 KB from a bench identity provider, single-use ClientJWTs (jose, as
 * pop-lib builds them: HS256 over the claims of docs/protocol.md §3, a new nonce each) and
 * RFC 9449 DPoP proofs (the `dpop` package, with `ath`). Not part of the package.
 */
import { randomBytes } from 'node:crypto';
import { generateProof, type KeyPair } from 'dpop';
import { CompactEncrypt, CompactSign, SignJWT, base64url, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK, type JSONWebKeySet } from 'jose';

export const ISSUER = 'https://idp.bench';
export const AUDIENCE = 'bank';

export interface BenchIssuer {
  jwks: JSONWebKeySet;
  /** An ES256 access token of about 1 KB (padded with an `ext` claim), valid for 10 minutes. */
  accessToken(claims?: Record<string, unknown>): Promise<string>;
}

export async function benchIssuer(): Promise<BenchIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' }] };
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('alice')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
  return {
    jwks,
    async accessToken(claims = {}) {
      const short = await sign({ scope: 'accounts', ...claims });
      // base64url: 4 characters per 3 bytes; 8 for `,"ext":""`.
      return sign({ scope: 'accounts', ...claims, ext: 'x'.repeat(Math.max(0, Math.floor(((1024 - short.length) * 3) / 4) - 8)) });
    },
  };
}

/** A client's HMAC key for one access token, and ClientJWTs signed with it. */
export interface ClientJwtSigner {
  /** A ClientJWT that carries `hmac_key` (the first request, which registers the key). */
  registration(method: string, url: string): Promise<string>;
  /** `count` ClientJWTs for `method url`, each with a new nonce. */
  pool(count: number, method: string, url: string): Promise<string[]>;
}

export async function clientJwtSigner(accessToken: string, serverJwk: JWK): Promise<ClientJwtSigner> {
  const jwk = { kty: 'oct', alg: 'HS256', kid: base64url.encode(randomBytes(16)), k: base64url.encode(randomBytes(32)) };
  const key = (await importJWK(jwk, 'HS256')) as CryptoKey;
  const alg = serverJwk.alg ?? 'ECDH-ES+A256KW';
  const hmacKey = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(jwk)))
    .setProtectedHeader({ alg, enc: 'A256GCM', kid: serverJwk.kid })
    .encrypt(await importJWK(serverJwk, alg));
  let nonce = Number(randomBytes(4).readUInt32BE()) * 1024;
  const sign = (method: string, url: string, extra: Record<string, unknown> = {}) => {
    const timestamp = Date.now();
    const claims = { access_token: accessToken, nonce: nonce++, timestamp, exp: Math.floor(timestamp / 1000) + 60, htm: method, htu: url, ...extra };
    return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: 'HS256', typ: 'client+jwt', kid: jwk.kid }).sign(key);
  };
  return {
    registration: (method, url) => sign(method, url, { hmac_key: hmacKey }),
    async pool(count, method, url) {
      const tokens: string[] = [];
      for (let i = 0; i < count; i++) tokens.push(await sign(method, url));
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
