import { base64url, JWTPayload, SignJWT } from 'jose';

/** Test helper: a signed (HS256, throwaway key) compact JWT carrying `claims`. */
export async function makeJwt(claims: JWTPayload): Promise<string> {
  const key = crypto.getRandomValues(new Uint8Array(32));
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
}

/** Test helper: a compact string from raw segments, for building hostile tokens. */
export function segments(...parts: string[]): string {
  return parts.join('.');
}

/** Test helper: base64url of a UTF-8 string. */
export function b64(text: string): string {
  return base64url.encode(text);
}
