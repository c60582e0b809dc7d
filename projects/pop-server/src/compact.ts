/**
 * Shape checks that run before any decoding (protocol §5): compact serialisation only,
 * base64url segments only, lengths capped. Everything here is cheap string work.
 */
const SEGMENT = '[A-Za-z0-9_-]+';
const JWS = new RegExp(`^${SEGMENT}\\.${SEGMENT}\\.${SEGMENT}$`);
// A JWE's encrypted key is empty for direct key agreement (ECDH-ES); the other four are not.
const JWE = new RegExp(`^${SEGMENT}\\.[A-Za-z0-9_-]*\\.${SEGMENT}\\.${SEGMENT}\\.${SEGMENT}$`);
const KID = /^[A-Za-z0-9_-]{1,128}$/;

export function isCompactJws(value: string): boolean {
  return JWS.test(value);
}

export function isCompactJwe(value: string): boolean {
  return JWE.test(value);
}

/** A `kid` that may touch a store or cache key: base64url characters only, at most 128. */
export function isSafeKid(value: unknown): value is string {
  return typeof value === 'string' && KID.test(value);
}
