/**
 * Decrypts a compact JWE made by pop-lib (protocol §2) with the server key its `kid` names.
 * Everything a hostile sender controls is checked before any crypto: length, compact shape,
 * `zip`, `crit`, the algorithm allow-list and the `kid`.
 */
import { compactDecrypt, decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';
import { isCompactJwe } from './compact.ts';
import { VerificationError, type VerificationErrorCode } from './errors.ts';
import { CONTENT_ENCRYPTION, isKeyId, MAX_SECRET_JWE_LENGTH } from './protocol.ts';
import type { ServerKey, ServerKeys } from './server-keys.ts';

export interface DecryptOptions {
  /** Longest accepted JWE string (default: the protocol's longest secret JWE, about 13 KiB). */
  maxBytes?: number;
  /** Error code used for rejections (the verifier reports `invalid_token`). */
  errorCode?: VerificationErrorCode;
}

/** Decrypts a secret form field; returns its UTF-8 plaintext. */
export async function decryptCredential(jwe: unknown, keys: ServerKeys, options: DecryptOptions = {}): Promise<string> {
  const bytes = await decryptToBytes(jwe, keys, options);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new VerificationError(options.errorCode ?? 'invalid_request', 'encrypted value is not UTF-8 text');
  }
}

/** Decrypts and returns the raw plaintext bytes. */
export async function decryptToBytes(jwe: unknown, keys: ServerKeys, options: DecryptOptions = {}): Promise<Uint8Array> {
  const code = options.errorCode ?? 'invalid_request';
  const reject = (description: string, cause?: unknown): never => {
    throw new VerificationError(code, description, { cause });
  };
  if (typeof jwe !== 'string') return reject('encrypted value must be a compact JWE string');
  if (jwe.length > (options.maxBytes ?? MAX_SECRET_JWE_LENGTH)) return reject('encrypted value too large');
  if (!isCompactJwe(jwe)) return reject('encrypted value is not a compact JWE');

  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(jwe);
  } catch (e) {
    return reject('encrypted value has an unreadable header', e);
  }
  if (header.zip !== undefined) return reject('compressed JWE (zip) is not accepted');
  if (header.crit !== undefined) return reject('JWE crit header is not accepted');
  if (header.enc !== CONTENT_ENCRYPTION) return reject(`JWE enc must be ${CONTENT_ENCRYPTION}`);
  const key = selectKey(header, keys);
  if (!key) return reject('JWE kid names no key of this server');
  // Only the chosen key's own algorithm: this excludes RSA1_5, dir and PBES2 (and its p2c) before any crypto.
  if (header.alg !== key.alg) return reject(`JWE alg must be ${key.alg} for this key`);

  try {
    const { plaintext } = await compactDecrypt(jwe, key.privateKey, {
      keyManagementAlgorithms: [key.alg],
      contentEncryptionAlgorithms: [CONTENT_ENCRYPTION],
    });
    return plaintext;
  } catch (e) {
    return reject('encrypted value could not be decrypted', e);
  }
}

function selectKey(header: ProtectedHeaderParameters, keys: ServerKeys): ServerKey | undefined {
  if (header.kid === undefined) {
    // Without a kid only an unambiguous single key is used; with rotation the kid is required.
    return keys.keys.length === 1 ? keys.keys[0] : undefined;
  }
  return isKeyId(header.kid) ? keys.find(header.kid) : undefined;
}
