/**
 * The server's encryption key pairs: loaded from JWK or PEM, or generated for development.
 * Several keys support rotation: all public parts are published (newest first) and a JWE is
 * decrypted with the key whose `kid` its header names.
 */
import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { PopServerConfigError } from './errors.ts';
import {
  isKeyId,
  KEY_MANAGEMENT_ALGORITHMS,
  keyManagementAlgorithmFor,
  type KeyManagementAlgorithm,
  MAX_KID_LENGTH,
  MAX_RSA_MODULUS_BITS,
  MIN_RSA_MODULUS_BITS,
  RSA_PUBLIC_EXPONENT_JWK,
  RSA_PUBLIC_EXPONENT,
} from './protocol.ts';

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
  if (!Array.isArray(keys) || keys.length === 0) throw new PopServerConfigError('server keys', ['at least one server key is required']);
  const byKid = new Map<string, ServerKey>();
  for (const key of keys) {
    if (byKid.has(key.kid)) throw new PopServerConfigError('server keys', [`duplicate kid "${key.kid}"`]);
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
  const { publicKey, privateKey } = await generateKeyPair(alg, alg === 'RSA-OAEP-256' ? { modulusLength: MIN_RSA_MODULUS_BITS } : {});
  const jwk = await exportJWK(publicKey);
  const kid = options.kid ?? (await calculateJwkThumbprint(jwk));
  return createServerKeys([{ kid, alg, privateKey, publicJwk: publicJwkOf(jwk, kid, alg) }]);
}

/**
 * Loads private keys (JWK or PKCS#8 PEM), newest first. Every key is checked as the client
 * checks a public key: an allowed algorithm and curve, RSA of 2048 to 4096 bits with public
 * exponent 65537, a kid of the protocol's syntax. One `PopServerConfigError` lists every problem.
 */
export async function loadServerKeys(inputs: readonly ServerKeyInput[]): Promise<ServerKeys> {
  if (!Array.isArray(inputs) || inputs.length === 0) throw new PopServerConfigError('server keys', ['at least one server key is required']);
  const keys: ServerKey[] = [];
  const problems: string[] = [];
  for (const [i, input] of inputs.entries()) {
    try {
      keys.push(await loadOne(input));
    } catch (e) {
      problems.push(`keys[${i}]: ${e instanceof KeyProblem ? e.message : `could not be imported (${(e as Error).message})`}`);
    }
  }
  if (problems.length > 0) throw new PopServerConfigError('server keys', problems);
  return createServerKeys(keys);
}

/** What is wrong with one key input (collected into the PopServerConfigError). */
class KeyProblem extends Error {}

async function loadOne(input: ServerKeyInput): Promise<ServerKey> {
  let privateJwk: JWK;
  let alg: ServerKeyAlgorithm;
  if (typeof input !== 'object' || input === null) throw new KeyProblem('must be { jwk } or { pem, alg, kid? }');
  if ('jwk' in input) {
    privateJwk = input.jwk;
    alg = algorithmFor(privateJwk);
  } else {
    alg = input.alg;
    if (!SERVER_KEY_ALGORITHMS.includes(alg)) throw new KeyProblem(`alg ${String(alg)} is not one of ${SERVER_KEY_ALGORITHMS.join(', ')}`);
    const extractable = await importPKCS8(input.pem, alg, { extractable: true });
    privateJwk = { ...(await exportJWK(extractable)), ...(input.kid ? { kid: input.kid } : {}) };
  }
  if (typeof privateJwk.d !== 'string') throw new KeyProblem('a server key must include its private part');
  if (privateJwk.kty === 'RSA') checkRsa(privateJwk);
  const publicOnly = pickPublic(privateJwk);
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicOnly));
  if (!isKeyId(kid)) throw new KeyProblem(`kid must be 1-${MAX_KID_LENGTH} characters [A-Za-z0-9_-.~@:+=]`);
  const privateKey = (await importJWK({ ...privateJwk, alg, ext: false }, alg)) as CryptoKey;
  return { kid, alg, privateKey, publicJwk: publicJwkOf(publicOnly, kid, alg) };
}

/** RSA: 2048 to 4096 bits, public exponent exactly 65537 (with e = 1 anyone could undo the encryption). */
function checkRsa(jwk: JWK): void {
  if (jwk.e !== RSA_PUBLIC_EXPONENT_JWK) {
    throw new KeyProblem(`RSA public exponent must be ${RSA_PUBLIC_EXPONENT} ("${RSA_PUBLIC_EXPONENT_JWK}"), not ${JSON.stringify(String(jwk.e).slice(0, 20))}`);
  }
  let n: Uint8Array;
  try {
    n = base64url.decode(String(jwk.n));
  } catch {
    throw new KeyProblem('RSA modulus n is not base64url');
  }
  const bits = n.length * 8 - Math.clz32(n[0] ?? 0) + 24;
  if (bits < MIN_RSA_MODULUS_BITS || bits > MAX_RSA_MODULUS_BITS) {
    throw new KeyProblem(`RSA keys must have ${MIN_RSA_MODULUS_BITS} to ${MAX_RSA_MODULUS_BITS} bits, not ${bits}`);
  }
}

function algorithmFor(jwk: JWK): ServerKeyAlgorithm {
  if (jwk.alg !== undefined) {
    if ((SERVER_KEY_ALGORITHMS as readonly string[]).includes(jwk.alg)) return jwk.alg as ServerKeyAlgorithm;
    throw new KeyProblem(`alg ${jwk.alg} is not one of ${SERVER_KEY_ALGORITHMS.join(', ')}`);
  }
  const byType = keyManagementAlgorithmFor(jwk.kty, jwk.crv);
  if (byType === undefined) throw new KeyProblem(`unsupported key type ${String(jwk.kty)}/${String(jwk.crv)}`);
  return byType;
}

function pickPublic(jwk: JWK): JWK {
  const members = PUBLIC_MEMBERS[jwk.kty ?? ''];
  if (!members) throw new KeyProblem(`unsupported key type ${String(jwk.kty)}`);
  const out: Record<string, unknown> = {};
  for (const m of members) out[m] = (jwk as Record<string, unknown>)[m];
  return out as JWK;
}

function publicJwkOf(jwk: JWK, kid: string, alg: ServerKeyAlgorithm): JWK {
  return { ...pickPublic(jwk), kid, use: 'enc', alg };
}
