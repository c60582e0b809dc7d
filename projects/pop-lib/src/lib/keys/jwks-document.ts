import type { JWK } from 'jose';
import { MAX_JWKS_BYTES, MAX_JWKS_KEYS, PRIVATE_JWK_MEMBERS } from '../../protocol';
import { isPopError, PopError } from '../errors/pop-error';
import { EncryptionKey, toEncryptionKey } from './encryption-key';
import type { BagEntry } from './key-bag';
import { assertKid } from './kid';

/** A JWKS turned into encryption keys: the usable ones for the bag, and why others were not. */
export interface IndexedJwks {
  entries: BagEntry<EncryptionKey>[];
  /** Keys that are well-formed public keys but cannot be encrypted to, with the reason. */
  rejected: { kid?: string; error: PopError }[];
}

/**
 * Parses a JWKS response body: at most 64 KiB, JSON `{"keys":[...]}` with at most 100 key
 * objects. Everything else is `jwks_invalid`, with `source` (the URL) in the message.
 */
export function parseJwks(body: unknown, source: string): JWK[] {
  if (typeof body !== 'string') {
    throw new PopError('jwks_invalid', `The JWKS at ${source} is not text.`);
  }
  if (body.length > MAX_JWKS_BYTES || new TextEncoder().encode(body).length > MAX_JWKS_BYTES) {
    throw new PopError('jwks_invalid', `The JWKS at ${source} is larger than ${MAX_JWKS_BYTES} bytes.`);
  }
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (cause) {
    throw new PopError('jwks_invalid', `The JWKS at ${source} is not JSON.`, { cause });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new PopError('jwks_invalid', `The JWKS at ${source} is not a JSON object {"keys":[...]}.`);
  }
  const keys: unknown = (document as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) {
    throw new PopError('jwks_invalid', `The JWKS at ${source} has no "keys" array.`);
  }
  if (keys.length > MAX_JWKS_KEYS) {
    throw new PopError('jwks_invalid', `The JWKS at ${source} has ${keys.length} keys; at most ${MAX_JWKS_KEYS} are read.`);
  }
  keys.forEach((key: unknown, i) => {
    if (typeof key !== 'object' || key === null || Array.isArray(key) || typeof (key as JWK).kty !== 'string') {
      throw new PopError('jwks_invalid', `Key ${i} of the JWKS at ${source} is not a JWK object with a "kty".`);
    }
  });
  return keys as JWK[];
}

/**
 * Imports every key of a JWKS that can be encrypted to, in document order.
 * The whole document is refused when any key carries secret material (private members or a
 * symmetric key: whoever published it has leaked it, so nothing in it is trusted), when a
 * `kid` is malformed, or when two keys share a `kid` and `use` (a kid must name one key).
 * Keys that are merely unusable here (for signing, too weak, unsupported curve) are skipped
 * and remembered, so asking for one by kid reports why.
 */
export async function indexJwks(keys: readonly JWK[], source: string): Promise<IndexedJwks> {
  const addresses = new Set<string>();
  keys.forEach((key, i) => {
    if (key.kty === 'oct') {
      throw new PopError('key_symmetric', `Key ${i} of the JWKS at ${source} is a symmetric (oct) key; a JWKS must only publish public keys.`);
    }
    if (PRIVATE_JWK_MEMBERS.some((member) => member in key)) {
      throw new PopError('key_private', `Key ${i} of the JWKS at ${source} has private members; the JWKS is not trusted.`);
    }
    if (key.kid !== undefined) assertKid(key.kid, `Key ${i} of the JWKS at ${source} has kid`, 'jwks_invalid');
    if (key.use !== undefined && typeof key.use !== 'string') {
      throw new PopError('jwks_invalid', `Key ${i} of the JWKS at ${source} has a "use" that is not a string.`);
    }
    const address = `${key.kid ?? '*'}/${key.use ?? '*'}`;
    if (key.kid !== undefined && addresses.has(address)) {
      throw new PopError('jwks_invalid', `The JWKS at ${source} has two keys with kid "${key.kid}" and the same use; a kid must name one key.`);
    }
    addresses.add(address);
  });
  const entries: BagEntry<EncryptionKey>[] = [];
  const rejected: IndexedJwks['rejected'] = [];
  for (const key of keys) {
    try {
      const value = await toEncryptionKey(key);
      entries.push({ ...(key.kid === undefined ? {} : { kid: key.kid }), ...(key.use === undefined ? {} : { use: key.use }), value });
    } catch (error) {
      if (!isPopError(error)) throw error;
      rejected.push({ ...(key.kid === undefined ? {} : { kid: key.kid }), error });
    }
  }
  return { entries, rejected };
}
