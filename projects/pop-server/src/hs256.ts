/**
 * The per-request HS256 check, synchronous on `node:crypto`: jose verifies JWS only through
 * asynchronous WebCrypto, whose dispatch costs more than the HMAC itself at this size. This is
 * the one place the server checks a JWS without jose, and it leaves every decoding to jose
 * (`decodeProtectedHeader`, `base64url.decode`), so its verdicts are jose's: `hs256.spec.ts`
 * compares them with `compactVerify` over a corpus of valid, tampered and malformed tokens.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { base64url, decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';
import { CLIENT_JWT_ALG } from './protocol.ts';

/** A compact JWS split into what the HS256 check needs, each part decoded once, by jose. */
export interface CompactHs256 {
  header: ProtectedHeaderParameters;
  /** `BASE64URL(header) '.' BASE64URL(payload)`, exactly as received. */
  signingInput: string;
  signature: Uint8Array;
}

/** Why a string is not an HS256 compact JWS this protocol accepts. */
export type CompactHs256Problem = 'malformed' | 'alg' | 'crit';

/**
 * Protected headers jose has decoded, by their exact base64url segment: every request signed
 * with one key repeats the same header, so decoding it again would give the same (frozen)
 * object. Bounded: cleared when full, so headers made up by a sender cannot grow it.
 */
const decodedHeaders = new Map<string, ProtectedHeaderParameters>();
const MAX_DECODED_HEADERS = 1000;

function decodeHeader(jws: string, headerSegment: string): ProtectedHeaderParameters {
  let header = decodedHeaders.get(headerSegment);
  if (header === undefined) {
    header = Object.freeze(decodeProtectedHeader(jws));
    if (decodedHeaders.size >= MAX_DECODED_HEADERS) decodedHeaders.clear();
    decodedHeaders.set(headerSegment, header);
  }
  return header;
}

/**
 * Splits `jws` when it is a compact JWS with a JSON-object protected header whose `alg` is
 * HS256 and which has no `crit` (this protocol defines no critical extensions); otherwise
 * says why not. The payload is not decoded here: the caller decodes it with jose.
 */
export function splitCompactHs256(jws: string): CompactHs256 | CompactHs256Problem {
  const firstDot = jws.indexOf('.');
  const lastDot = jws.lastIndexOf('.');
  if (firstDot <= 0 || lastDot === firstDot || jws.indexOf('.', firstDot + 1) !== lastDot) return 'malformed';
  let header: ProtectedHeaderParameters;
  let signature: Uint8Array;
  try {
    header = decodeHeader(jws, jws.slice(0, firstDot));
    signature = base64url.decode(jws.slice(lastDot + 1));
  } catch {
    return 'malformed';
  }
  if (header.alg !== CLIENT_JWT_ALG) return 'alg';
  if (header.crit !== undefined) return 'crit';
  return { header, signingInput: jws.slice(0, lastDot), signature };
}

/** An HMAC key as node:crypto uses it, from the JWK's base64url `k`. */
export function hs256Key(k: string): KeyObject {
  return createSecretKey(base64url.decode(k));
}

/** True when `parts.signature` is the HMAC-SHA-256 of `parts.signingInput` under `key` (constant time). */
export function hs256Matches(parts: CompactHs256, key: KeyObject): boolean {
  const expected = createHmac('sha256', key).update(parts.signingInput, 'utf8').digest();
  return parts.signature.length === expected.length && timingSafeEqual(parts.signature, expected);
}
