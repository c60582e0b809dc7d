import type { JWK } from 'jose';
import { importJWK } from 'jose/key/import';
import {
  EC_CURVES,
  type KeyManagementAlgorithm,
  keyManagementAlgorithmFor,
  MAX_RSA_MODULUS_BITS,
  MIN_RSA_MODULUS_BITS,
  OKP_CURVES,
  PRIVATE_JWK_MEMBERS,
  RSA_PUBLIC_EXPONENT,
  RSA_PUBLIC_EXPONENT_JWK,
} from '../../protocol';
import { PopError } from '../errors/pop-error';

export type { KeyManagementAlgorithm };

/** A resource server's public key, checked and imported, ready for JWE encryption. */
export interface EncryptionKey {
  key: CryptoKey;
  /** The public JWK it was imported from (public members only). */
  jwk: JWK;
  alg: KeyManagementAlgorithm;
  kid?: string;
}

/** `key_ops` values that allow encrypting to a key (RFC 7517 section 4.3). */
const ENCRYPTING_OPS = ['encrypt', 'wrapKey', 'deriveKey', 'deriveBits'];
/** JWS algorithms (RFC 7518 section 3, RFC 8037, RFC 8812, fully specified EdDSA). */
const SIGNATURE_ALGORITHMS = /^(?:(?:HS|RS|PS|ES)(?:256|384|512)|ES256K|EdDSA|Ed25519|Ed448)$/;

/**
 * Checks that `jwk` is a public key the library may encrypt to and imports it.
 * Rejects, each with its own code: private or symmetric keys, RSA under 2048 bits or over
 * 4096, RSA public exponents other than 65537 (with e = 1 the "encryption" is undone without
 * the private key), unsupported curves and key types, keys marked for signing only, and
 * algorithms outside the protocol's allow-list.
 */
export async function toEncryptionKey(jwk: unknown): Promise<EncryptionKey> {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    throw new PopError('key_invalid', 'The key is not a JWK object.');
  }
  const candidate = jwk as JWK;
  if (candidate.kty === 'oct') {
    throw new PopError('key_symmetric', 'A symmetric (oct) key cannot be a server public key.');
  }
  if (PRIVATE_JWK_MEMBERS.some((member) => member in candidate)) {
    throw new PopError('key_private', 'The key has private members; a server must publish only its public key.');
  }
  const alg = algorithmFor(candidate);
  assertUsableForEncryption(candidate);
  if (candidate.kty === 'RSA' && candidate.e !== RSA_PUBLIC_EXPONENT_JWK) {
    // Checked before WebCrypto sees the key: some platforms import e = 1 or e = 3 happily.
    throw new PopError('key_unsupported', `The RSA key's public exponent must be ${RSA_PUBLIC_EXPONENT} ("${RSA_PUBLIC_EXPONENT_JWK}"), not ${JSON.stringify(String(candidate.e).slice(0, 20))}.`);
  }
  const publicJwk = publicMembers(candidate);
  let key: CryptoKey;
  try {
    // Only the key material goes to WebCrypto: it would turn `key_ops` (already checked
    // above) into the CryptoKey's usages, which ECDH public keys cannot have.
    const { kty, crv, x, y, n, e } = publicJwk;
    key = (await importJWK(withoutUndefined({ kty, crv, x, y, n, e, alg }), alg)) as CryptoKey;
  } catch (cause) {
    throw new PopError('key_invalid', `The ${candidate.kty} key could not be imported.`, { cause });
  }
  if (candidate.kty === 'RSA') {
    const bits = (key.algorithm as RsaHashedKeyAlgorithm).modulusLength;
    if (bits < MIN_RSA_MODULUS_BITS) {
      throw new PopError('key_too_weak', `The RSA key has ${bits} bits; at least ${MIN_RSA_MODULUS_BITS} are required.`);
    }
    if (bits > MAX_RSA_MODULUS_BITS) {
      throw new PopError('key_unsupported', `The RSA key has ${bits} bits; the protocol allows at most ${MAX_RSA_MODULUS_BITS}.`);
    }
  }
  return { key, jwk: publicJwk, alg, ...(candidate.kid === undefined ? {} : { kid: candidate.kid }) };
}

/** The protocol's choice: the key's own `alg` when allowed, otherwise by key type. */
function algorithmFor(jwk: JWK): KeyManagementAlgorithm {
  const byType = algorithmForType(jwk);
  if (jwk.alg === undefined || jwk.alg === byType) return byType;
  // Exact names: a prefix test would take RSA1_5 or RSA-OAEP for RS256's family.
  if (SIGNATURE_ALGORITHMS.test(jwk.alg)) {
    throw new PopError('key_use_mismatch', `The key is for signatures (alg ${jwk.alg}), not encryption.`);
  }
  throw new PopError('key_unsupported', `The key's algorithm ${jwk.alg} is not allowed; use ${byType} or omit "alg".`);
}

function algorithmForType(jwk: JWK): KeyManagementAlgorithm {
  const alg = keyManagementAlgorithmFor(jwk.kty, jwk.crv);
  if (alg !== undefined) return alg;
  switch (jwk.kty) {
    case 'EC':
      throw new PopError('key_unsupported', `EC curve ${String(jwk.crv)} is not supported (${EC_CURVES.join(', ')}).`);
    case 'OKP':
      throw new PopError('key_unsupported', `OKP curve ${String(jwk.crv)} cannot encrypt (${OKP_CURVES.join(', ')} can).`);
    default:
      throw new PopError('key_unsupported', `Key type ${String(jwk.kty)} is not supported (EC, OKP, RSA).`);
  }
}

function assertUsableForEncryption(jwk: JWK): void {
  if (jwk.use !== undefined && jwk.use !== 'enc') {
    throw new PopError('key_use_mismatch', `The key is marked "use":"${jwk.use}", not for encryption.`);
  }
  if (jwk.key_ops !== undefined) {
    if (!Array.isArray(jwk.key_ops) || !jwk.key_ops.some((op) => ENCRYPTING_OPS.includes(op))) {
      throw new PopError('key_use_mismatch', 'The key\'s "key_ops" do not allow encryption.');
    }
  }
}

/** Keeps only the members a public key may have, so nothing else travels on. */
function publicMembers(jwk: JWK): JWK {
  const { kty, crv, x, y, n, e, kid, use, key_ops, alg } = jwk;
  return withoutUndefined({ kty, crv, x, y, n, e, kid, use, key_ops, alg });
}

function withoutUndefined(jwk: JWK): JWK {
  return Object.fromEntries(Object.entries(jwk).filter(([, value]) => value !== undefined)) as JWK;
}
