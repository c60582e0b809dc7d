/**
 * The server's encryption key pairs: loaded from JWK or PEM, or generated for development.
 * Several keys support rotation: all public parts are published (newest first) and a JWE is
 * decrypted with the key whose `kid` its header names.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { EC_CURVES, isKeyId, KEY_MANAGEMENT_ALGORITHMS, type KeyManagementAlgorithm, MAX_KID_LENGTH, OKP_CURVES } from './protocol.ts';

/** Key management algorithms this server accepts (protocol §2); never RSA1_5, dir or PBES2. */
export type ServerKeyAlgorithm = KeyManagementAlgorithm;
export const SERVER_KEY_ALGORITHMS: readonly ServerKeyAlgorithm[] = KEY_MANAGEMENT_ALGORITHMS;

export interface ServerKey {
  readonly kid: string;
  readonly alg: ServerKeyAlgorithm;
  readonly privateKey: CryptoKey;
  /** Public members only, with `kid`, `use: "enc"` and `alg`. */
  readonly publicJwk: JWK;
}

export interface ServerKeys {
  /** Newest first: the first key is the one clients should use. */
  readonly keys: readonly ServerKey[];
  find(kid: string): ServerKey | undefined;
  /** RFC 7517 key set of the public parts, for `{baseUrl}/pop-keys.json`. */
  jwks(): { keys: JWK[] };
}

export type ServerKeyInput =
  | { jwk: JWK }
  | { pem: string; alg: ServerKeyAlgorithm; kid?: string };

const PUBLIC_MEMBERS: Record<string, readonly string[]> = {
  EC: ['kty', 'crv', 'x', 'y'],
  OKP: ['kty', 'crv', 'x'],
  RSA: ['kty', 'n', 'e'],
};

export function createServerKeys(keys: readonly ServerKey[]): ServerKeys {
  if (keys.length === 0) throw new TypeError('pop-server: at least one server key is required');
  const byKid = new Map<string, ServerKey>();
  for (const key of keys) {
    if (byKid.has(key.kid)) throw new TypeError(`pop-server: duplicate server key kid "${key.kid}"`);
    byKid.set(key.kid, key);
  }
  const frozen = Object.freeze([...keys]);
  return {
    keys: frozen,
    find: (kid) => byKid.get(kid),
    jwks: () => ({ keys: frozen.map((k) => ({ ...k.publicJwk })) }),
  };
}

/** A fresh key pair for development and tests (P-256, ECDH-ES+A256KW); the private key never leaves WebCrypto. */
export async function generateServerKeys(options: { alg?: ServerKeyAlgorithm; kid?: string } = {}): Promise<ServerKeys> {
  const alg = options.alg ?? 'ECDH-ES+A256KW';
  const { publicKey, privateKey } = await generateKeyPair(alg, alg === 'RSA-OAEP-256' ? { modulusLength: 2048 } : {});
  const jwk = await exportJWK(publicKey);
  const kid = options.kid ?? (await calculateJwkThumbprint(jwk));
  return createServerKeys([{ kid, alg, privateKey, publicJwk: publicJwkOf(jwk, kid, alg) }]);
}

/** Loads private keys (JWK or PKCS#8 PEM), newest first. */
export async function loadServerKeys(inputs: readonly ServerKeyInput[]): Promise<ServerKeys> {
  const keys: ServerKey[] = [];
  for (const input of inputs) keys.push(await loadOne(input));
  return createServerKeys(keys);
}

async function loadOne(input: ServerKeyInput): Promise<ServerKey> {
  let privateJwk: JWK;
  let alg: ServerKeyAlgorithm;
  if ('jwk' in input) {
    privateJwk = input.jwk;
    alg = algorithmFor(privateJwk);
  } else {
    alg = input.alg;
    if (!SERVER_KEY_ALGORITHMS.includes(alg)) throw new TypeError(`pop-server: unsupported server key algorithm ${String(alg)}`);
    const extractable = await importPKCS8(input.pem, alg, { extractable: true });
    privateJwk = { ...(await exportJWK(extractable)), ...(input.kid ? { kid: input.kid } : {}) };
  }
  if (typeof privateJwk.d !== 'string') throw new TypeError('pop-server: a server key must include its private part');
  if (privateJwk.kty === 'RSA' && typeof privateJwk.n === 'string' && privateJwk.n.length < 342) {
    // 2048 bits = 256 bytes = 342 base64url characters.
    throw new TypeError('pop-server: RSA server keys must have at least 2048 bits');
  }
  const publicOnly = pickPublic(privateJwk);
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicOnly));
  if (!isKeyId(kid)) throw new TypeError(`pop-server: a server key kid must be 1-${MAX_KID_LENGTH} characters [A-Za-z0-9_-.~@:+=]`);
  const privateKey = (await importJWK({ ...privateJwk, alg, ext: false }, alg)) as CryptoKey;
  return { kid, alg, privateKey, publicJwk: publicJwkOf(publicOnly, kid, alg) };
}

function algorithmFor(jwk: JWK): ServerKeyAlgorithm {
  if (jwk.alg !== undefined) {
    if ((SERVER_KEY_ALGORITHMS as readonly string[]).includes(jwk.alg)) return jwk.alg as ServerKeyAlgorithm;
    throw new TypeError(`pop-server: server key alg ${jwk.alg} is not one of ${SERVER_KEY_ALGORITHMS.join(', ')}`);
  }
  if (jwk.kty === 'RSA') return 'RSA-OAEP-256';
  if (jwk.kty === 'EC' && EC_CURVES.includes(jwk.crv ?? '')) return 'ECDH-ES+A256KW';
  if (jwk.kty === 'OKP' && OKP_CURVES.includes(jwk.crv ?? '')) return 'ECDH-ES+A256KW';
  throw new TypeError(`pop-server: unsupported server key type ${String(jwk.kty)}/${String(jwk.crv)}`);
}

function pickPublic(jwk: JWK): JWK {
  const members = PUBLIC_MEMBERS[jwk.kty ?? ''];
  if (!members) throw new TypeError(`pop-server: unsupported server key type ${String(jwk.kty)}`);
  const out: Record<string, unknown> = {};
  for (const m of members) out[m] = (jwk as Record<string, unknown>)[m];
  return out as JWK;
}

function publicJwkOf(jwk: JWK, kid: string, alg: ServerKeyAlgorithm): JWK {
  return { ...pickPublic(jwk), kid, use: 'enc', alg };
}
