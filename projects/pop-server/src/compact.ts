/**
 * Shape checks that run before any decoding (protocol §5): compact serialisation only,
 * base64url segments only. Everything here is cheap string work.
 */
const SEGMENT = '[A-Za-z0-9_-]+';
const JWS = new RegExp(`^${SEGMENT}\\.${SEGMENT}\\.${SEGMENT}$`);
// A JWE's encrypted key is empty for direct key agreement (ECDH-ES); the other four are not.
const JWE = new RegExp(`^${SEGMENT}\\.[A-Za-z0-9_-]*\\.${SEGMENT}\\.${SEGMENT}\\.${SEGMENT}$`);

export function isCompactJws(value: string): boolean {
  return JWS.test(value);
}

export function isCompactJwe(value: string): boolean {
  return JWE.test(value);
}
