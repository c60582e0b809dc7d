/**
 * A mock identity provider for the showcase, so every page works without outside services.
 * It publishes its own encryption key, takes the password as a compact JWE, and issues ES256
 * access tokens whose `cnf` names the bank's encryption key (by value or by `jku`).
 * Demo only: one user, a password in the source.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { decryptCredential, isVerificationError, popKeysResponse, type ServerKeys } from '../../pop-server/src/index.ts';

export const IDP_ISSUER = 'showcase-idp';
export const BANK_AUDIENCE = 'showcase-bank';
export const ACCESS_TOKEN_SECONDS = 300;
const USERS: Record<string, string> = { alice: 'wonderland' };

export type CnfMode = 'jwk' | 'jku';

export interface MockIdp {
  router: Router;
  /** The IdP's signature verification keys, for the bank's access token validator. */
  signingJwks: { keys: JWK[] };
}

export async function createMockIdp(options: { encryptionKeys: ServerKeys; bankKeys: ServerKeys; cnf: CnfMode }): Promise<MockIdp> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const signingJwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-sig-1', alg: 'ES256', use: 'sig' }] };
  const router = express.Router();

  router.get('/pop-keys.json', (_req, res) => {
    const r = popKeysResponse(options.encryptionKeys);
    res.status(r.status).set(r.headers).send(r.body);
  });

  router.post('/token', express.json({ limit: '32kb' }), async (req, res) => {
    const { username, password } = (req.body ?? {}) as { username?: unknown; password?: unknown };
    let plaintext: string;
    try {
      plaintext = await decryptCredential(password, options.encryptionKeys, { legacyUnbound: true });
    } catch (e) {
      if (!isVerificationError(e)) throw e;
      res.status(400).json({ error: 'invalid_request', error_description: `password: ${e.description}` });
      return;
    }
    if (typeof username !== 'string' || !passwordMatches(USERS[username], plaintext)) {
      res.status(401).json({ error: 'invalid_grant' });
      return;
    }
    const origin = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
    const accessToken = await issueAccessToken(privateKey, username, cnfClaim(options.cnf, options.bankKeys, origin));
    res.set('Cache-Control', 'no-store').json({ access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS });
  });

  return { router, signingJwks };
}

function cnfClaim(mode: CnfMode, bankKeys: ServerKeys, origin: string): Record<string, unknown> {
  const current = bankKeys.jwks().keys[0] as JWK;
  return mode === 'jku' ? { jku: `${origin}/api/pop-keys.json`, kid: current.kid } : { jwk: current };
}

function issueAccessToken(key: CryptoKey, sub: string, cnf: Record<string, unknown>): Promise<string> {
  return new SignJWT({ cnf })
    .setProtectedHeader({ alg: 'ES256', kid: 'idp-sig-1', typ: 'at+jwt' })
    .setIssuer(IDP_ISSUER)
    .setAudience(BANK_AUDIENCE)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_SECONDS}s`)
    .sign(key);
}

function passwordMatches(expected: string | undefined, given: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  // Compare digests in constant time; an unknown user still costs one comparison.
  return timingSafeEqual(digest(expected ?? '\u0000unknown'), digest(given)) && expected !== undefined;
}
