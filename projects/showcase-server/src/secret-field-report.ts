/**
 * What the showcase reports about a secret field it accepted: the JWE's header and the checks
 * `decryptCredential` ran on it (docs/protocol.md section 4), for the page's "server" column.
 */
import { decodeProtectedHeader } from 'jose';

export interface SecretFieldReport {
  jwe: { alg: unknown; enc: unknown; kid: unknown; iat: unknown; jti: unknown; aud: unknown };
  audience: string;
  checks: string[];
}

/** `jwe` was decrypted with `keyOwner`'s private key by `decryptCredential(…, { audience, replayStore })`. */
export function secretFieldReport(jwe: string, audience: string, keyOwner: string): SecretFieldReport {
  const { alg, enc, kid, iat, jti, aud } = decodeProtectedHeader(jwe) as Record<string, unknown>;
  return {
    jwe: { alg, enc, kid, iat, jti, aud },
    audience,
    checks: [
      `aud is this endpoint (${audience})`,
      `iat ${String(iat)} is at most 600 s old and not in the future`,
      `jti ${String(jti)} never seen before (now remembered until the JWE expires)`,
      `decrypted with ${keyOwner}'s private key (kid ${String(kid)}, ${String(alg)}, ${String(enc)}): the header is authentic`,
    ],
  };
}
