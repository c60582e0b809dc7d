import { decodeProtectedHeader } from 'jose';

/** A secret field as a proxy sees it: the member of the JSON body, and its JWE's readable header. */
export interface LoggedSecret {
  field: string;
  header: Record<string, unknown>;
}

const COMPACT_JWE = /^[\w-]+\.[\w-]*\.[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * The compact JWEs among the top-level members of a JSON request body, with their protected
 * headers decoded: what anyone who logs the request reads (`alg`, `kid`, `iat`, `jti`, `aud`,
 * `epk`), while the secret stays encrypted.
 */
export function loggedSecrets(body: string | null): LoggedSecret[] {
  let parsed: unknown;
  try {
    parsed = body === null ? null : JSON.parse(body);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [];
  return Object.entries(parsed).flatMap(([field, value]) => {
    if (typeof value !== 'string' || !COMPACT_JWE.test(value)) return [];
    try {
      return [{ field, header: decodeProtectedHeader(value) as Record<string, unknown> }];
    } catch {
      return [];
    }
  });
}
