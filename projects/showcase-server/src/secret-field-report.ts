/**
 * What the showcase reports about a secret field it accepted: the JWE's header and the checks
 * `decryptCredential` ran on it (docs/protocol.md section 4), for the page's "server" column.
 */
import { decodeProtectedHeader } from 'jose';
import { DEFAULT_CLOCK_SKEW_SECONDS, DEFAULT_SECRET_MAX_AGE_SECONDS } from '../../pop-server/src/protocol.ts';

export interface SecretFieldReport {
  jwe: { alg: unknown; enc: unknown; kid: unknown; iat: unknown; jti: unknown; aud: unknown };
  audience: string;
  /** The JWE's age when it was checked, in seconds by the server's clock (negative: made ahead of it). */
  ageSeconds: number;
  checks: string[];
}

/** How a secret was checked: for which endpoint, by which clock. */
export interface SecretCheck {
  audience: string;
  now: () => number;
}

/**
 * `jwe` was decrypted with `keyOwner`'s private key by `decryptCredential(…, { audience,
 * replayStore, now })` with the default maximum age and skew.
 */
export function secretFieldReport(jwe: string, check: SecretCheck, keyOwner: string): SecretFieldReport {
  const { alg, enc, kid, iat, jti, aud } = decodeProtectedHeader(jwe) as Record<string, unknown>;
  const ageSeconds = Math.floor(check.now() / 1000) - Number(iat);
  const age = ageSeconds >= 0 ? `${ageSeconds} s old` : `${-ageSeconds} s ahead of this server's clock (within the ${DEFAULT_CLOCK_SKEW_SECONDS} s skew)`;
  return {
    jwe: { alg, enc, kid, iat, jti, aud },
    audience: check.audience,
    ageSeconds,
    checks: [
      `aud is this endpoint (${check.audience})`,
      `iat ${String(iat)} is ${age}: within the ${DEFAULT_SECRET_MAX_AGE_SECONDS} s a secret is accepted`,
      `jti ${String(jti)} never seen before (now remembered until the JWE expires)`,
      `decrypted with ${keyOwner}'s private key (kid ${String(kid)}, ${String(alg)}, ${String(enc)}): the header is authentic`,
    ],
  };
}
