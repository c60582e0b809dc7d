/**
 * The one place the showcase servers open a secret field (pop-lib's `secureField`,
 * docs/protocol.md §2): the provider's login password and the bank's PINs. Each endpoint that
 * takes a secret is the audience of the JWEs sent to it, so a secret captured at one is refused
 * at another. Along with the plaintext goes what the showcase reports about it: the JWE's header
 * and the checks `decryptCredential` ran on it (docs/protocol.md section 4), for the page's
 * "server" column.
 */
import { decodeProtectedHeader } from 'jose';
import { decryptCredential, isVerificationError, type PopStore, type ServerKeys, type VerificationError } from '../../pop-server/src/index.ts';
import { DEFAULT_CLOCK_SKEW_SECONDS, DEFAULT_SECRET_MAX_AGE_SECONDS } from '../../pop-server/src/protocol.ts';

export interface SecretFieldReport {
  jwe: { alg: unknown; enc: unknown; kid: unknown; iat: unknown; jti: unknown; aud: unknown };
  audience: string;
  /** The JWE's age when it was checked, in seconds by the server's clock (negative: made ahead of it). */
  ageSeconds: number;
  checks: string[];
}

export interface SecretFieldContext {
  /** The key pair secrets are encrypted to. */
  keys: ServerKeys;
  /** The URL the secret is posted to: the audience of its JWE. */
  audience: string;
  /** Where used JWE ids are remembered, so a captured JWE cannot be sent twice. */
  replayStore: PopStore;
  /** The server's clock (epoch ms), against which the JWE's `iat` is checked. */
  now: () => number;
}

export type OpenedSecret = { plaintext: string; report: SecretFieldReport; refused?: never } | { refused: VerificationError };

/**
 * The plaintext of `jwe` with its report, or the `VerificationError` (400) that refused it when
 * it is not a JWE for `context.keys` (any other error is thrown). `keyOwner` names the key's
 * owner in the report.
 */
export async function openSecretField(jwe: unknown, context: SecretFieldContext, keyOwner: string): Promise<OpenedSecret> {
  const { keys, audience, replayStore, now } = context;
  let plaintext: string;
  try {
    // Fresh (iat), single use (jti) and for this endpoint only (aud): docs/protocol.md section 4.
    plaintext = await decryptCredential(jwe, keys, { audience, replayStore, now });
  } catch (e) {
    if (!isVerificationError(e)) throw e;
    return { refused: e };
  }
  return { plaintext, report: secretFieldReport(jwe as string, context, keyOwner) };
}

/**
 * `jwe` was decrypted with `keyOwner`'s private key by `decryptCredential(…, { audience,
 * replayStore, now })` with the default maximum age and skew.
 */
function secretFieldReport(jwe: string, check: Pick<SecretFieldContext, 'audience' | 'now'>, keyOwner: string): SecretFieldReport {
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
