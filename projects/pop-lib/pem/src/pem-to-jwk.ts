import type { JWK } from 'jose';
import { exportJWK } from 'jose/key/export';
import { importSPKI } from 'jose/key/import';
import { PopError } from 'pop-lib';
import type { KeycloakAdapterConfig } from './keycloak-adapter-config';

/** Longest PEM or Keycloak key text read (an RSA-8192 SPKI is about 1.5 KB). */
const MAX_PEM_LENGTH = 8 * 1024;
const SPKI_PEM = /^-----BEGIN PUBLIC KEY-----[A-Za-z0-9+/=\s]+-----END PUBLIC KEY-----$/;
const BARE_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/**
 * jose imports SPKI for a given algorithm; these cover every SPKI key type WebCrypto reads.
 * The encryption algorithms come first; `Ed25519` only serves a clear `key_unsupported`.
 */
const PROBES = ['RSA-OAEP-256', 'ECDH-ES+A256KW', 'Ed25519'] as const;

/**
 * Converts a PEM SPKI public key (RSA, EC P-256/384/521, X25519) into a public JWK through
 * jose (`importSPKI` + `exportJWK`), also exported as `JWKBuilder.build`. Private keys, PKCS#1
 * `RSA PUBLIC KEY` blocks, certificates and anything else are rejected with typed errors.
 * The JWK is not yet checked for encryption: pass it to the key resolver or
 * `toEncryptionKey`, which reject weak or unsuitable keys.
 */
export async function pemToJwk(pem: string): Promise<JWK> {
  if (typeof pem !== 'string' || pem.length > MAX_PEM_LENGTH) {
    throw new PopError('pem_invalid', `A PEM public key must be a string of at most ${MAX_PEM_LENGTH} characters.`);
  }
  const text = pem.trim();
  if (/PRIVATE KEY-----/.test(text)) {
    throw new PopError('key_private', 'This PEM holds a PRIVATE key; configure the server\'s public key only.');
  }
  if (!SPKI_PEM.test(text)) {
    throw new PopError('pem_invalid', 'Expected one "-----BEGIN PUBLIC KEY-----" (SPKI) block; PKCS#1 "RSA PUBLIC KEY" and certificates are not read.');
  }
  for (const alg of PROBES) {
    let jwk: JWK;
    try {
      jwk = await exportJWK(await importSPKI(text, alg, { extractable: true }));
    } catch {
      continue; // Not this key type: try the next.
    }
    if (alg === 'Ed25519') {
      throw new PopError('key_unsupported', 'The PEM holds an Ed25519 signing key, which cannot be encrypted to.');
    }
    return publicJwk(jwk);
  }
  throw new PopError('pem_invalid', 'The PEM block is not a public key WebCrypto can read (RSA, EC P-256/384/521, X25519).');
}

/**
 * The realm key of a Keycloak adapter file (`keycloak.json` content, as an object or its JSON
 * text): `realm-public-key` is base64 DER SPKI without PEM armour.
 */
export async function keycloakToJwk(adapter: KeycloakAdapterConfig | string): Promise<JWK> {
  let parsed: unknown = adapter;
  if (typeof adapter === 'string') {
    if (adapter.length > 64 * 1024) throw new PopError('pem_invalid', 'The keycloak.json text is larger than 64 KiB.');
    try {
      parsed = JSON.parse(adapter);
    } catch (cause) {
      throw new PopError('pem_invalid', 'The keycloak.json text is not JSON.', { cause });
    }
  }
  const realmKey: unknown = typeof parsed === 'object' && parsed !== null ? (parsed as KeycloakAdapterConfig)['realm-public-key'] : undefined;
  if (typeof realmKey !== 'string' || realmKey.length > MAX_PEM_LENGTH) {
    throw new PopError('pem_invalid', 'The keycloak.json has no "realm-public-key" string.');
  }
  const base64 = realmKey.replace(/\s+/g, '');
  if (!BARE_BASE64.test(base64)) {
    throw new PopError('pem_invalid', 'The keycloak.json "realm-public-key" is not base64 DER.');
  }
  const lines = base64.match(/.{1,64}/g) ?? [];
  return pemToJwk(`-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----`);
}

/** The PEM to JWK conversion under the name of the library's original design (`JWKBuilder.build`). */
export const JWKBuilder = {
  build: pemToJwk,
} as const;

function publicJwk(jwk: JWK): JWK {
  const { kty, crv, x, y, n, e } = jwk;
  return Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter(([, value]) => value !== undefined)) as JWK;
}
