/**
 * A test client that builds ClientJWTs with jose directly, independent of the Angular
 * library: the server is tested against the protocol text, not against its own client.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { CompactEncrypt, CompactSign, SignJWT, base64url, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export interface TestHmacKey {
  kid: string;
  k: string;
  jwk: { kty: 'oct'; alg: 'HS256'; kid: string; k: string };
}

export function newHmacKey(bytes = 32): TestHmacKey {
  const kid = base64url.encode(randomBytes(16));
  const k = base64url.encode(randomBytes(bytes));
  return { kid, k, jwk: { kty: 'oct', alg: 'HS256', kid, k } };
}

/**
 * A secret field's JWE as pop-lib makes it (protocol §2): `iat`, a fresh `jti` and `aud` in
 * the protected header; `header` overrides or removes (undefined) any of them.
 */
export function secretJwe(serverJwk: JWK, plaintext: string, audience: string, header: Record<string, unknown> = {}): Promise<string> {
  const fields = { iat: Math.floor(Date.now() / 1000), jti: base64url.encode(randomBytes(16)), aud: audience, ...header };
  return encryptTo(serverJwk, plaintext, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
}

/** Encrypts `plaintext` to the server's public JWK with `header` added to the protected header. */
export async function encryptTo(serverJwk: JWK, plaintext: string, header: Record<string, unknown> = {}): Promise<string> {
  const alg = serverJwk.alg ?? 'ECDH-ES+A256KW';
  const key = await importJWK(serverJwk, alg);
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg, enc: 'A256GCM', ...(serverJwk.kid ? { kid: serverJwk.kid } : {}), ...header })
    .encrypt(key);
}

export interface ClientJwtInput {
  key: TestHmacKey;
  accessToken: string;
  method: string;
  url: string;
  /** The server's public JWK: when given, `hmac_key` is included. */
  serverJwk?: JWK;
  nonce?: number;
  timestampMs?: number;
  lifetimeSeconds?: number;
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  /** Sign with this key instead of the HMAC key (for algorithm swap tests). */
  signWith?: { key: CryptoKey | Uint8Array; alg: string };
}

export async function clientJwt(input: ClientJwtInput): Promise<string> {
  const timestamp = input.timestampMs ?? Date.now();
  const payload: Record<string, unknown> = {
    access_token: input.accessToken,
    nonce: input.nonce ?? randomInt(2 ** 47),
    timestamp,
    exp: Math.floor(timestamp / 1000) + (input.lifetimeSeconds ?? 30),
    htm: input.method,
    htu: input.url,
    ...(input.serverJwk ? { hmac_key: await encryptTo(input.serverJwk, JSON.stringify(input.key.jwk)) } : {}),
    ...input.claims,
  };
  const alg = input.signWith?.alg ?? 'HS256';
  const key = input.signWith?.key ?? base64url.decode(input.key.k);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg, typ: 'client+jwt', kid: input.key.kid, ...input.header })
    .sign(key);
}

/** The `iss` and `aud` of the mock identity provider's access tokens. */
export const TEST_ISSUER = 'https://idp.test';
export const TEST_AUDIENCE = 'bank';

export type TestIssuer = Awaited<ReturnType<typeof testIssuer>>;

/** A mock identity provider: ES256 access tokens and the JWKS to verify them. */
export async function testIssuer() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' }] };
  return {
    jwks,
    async accessToken(claims: Record<string, unknown> = {}, lifetimeSeconds = 300): Promise<string> {
      return new SignJWT({ scope: 'accounts', ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
        .setIssuer(TEST_ISSUER)
        .setAudience(TEST_AUDIENCE)
        .setSubject('alice')
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSeconds)
        .sign(privateKey);
    },
  };
}

/** Replaces a compact token's protected header (its signature/tag no longer matches, on purpose). */
export function withHeader(token: string, header: Record<string, unknown>): string {
  const parts = token.split('.');
  parts[0] = base64url.encode(JSON.stringify(header));
  return parts.join('.');
}
