/**
 * Every refusal of a request is a `VerificationError`: an HTTP status, the protocol's error
 * code for the `WWW-Authenticate` header and the JSON body (`error`), a stable `reason` that
 * names the check that failed (for logs, metrics and tests), and a description safe to show
 * the client. A bad server option is a `PopServerConfigError`, thrown at start-up.
 */
import type { WireErrorCode } from './protocol.ts';

/** The protocol's error codes (see `WIRE_ERROR_CODES`). */
export type VerificationErrorCode = WireErrorCode;

/** Which check refused a request. Stable: add reasons, never rename one. */
export type VerificationReason =
  // The Authorization header and the ClientJWT's shape
  | 'authorization_missing'
  | 'authorization_too_large'
  | 'not_bearer'
  | 'malformed'
  | 'alg_not_allowed'
  | 'typ_invalid'
  | 'crit_not_allowed'
  | 'kid_invalid'
  | 'claims_invalid'
  // Keys and signature
  | 'hmac_key_invalid'
  | 'hmac_key_unknown'
  | 'signature_invalid'
  | 'token_bound_to_another_key'
  // Time and request binding
  | 'expired'
  | 'timestamp_in_future'
  | 'lifetime_too_long'
  | 'htm_mismatch'
  | 'htu_mismatch'
  // The application's check of the access token, and replay
  | 'access_token_rejected'
  | 'nonce_replayed'
  // Secret fields (decryptCredential)
  | 'secret_invalid'
  | 'secret_too_large'
  | 'secret_key_unknown'
  | 'secret_undecryptable'
  | 'secret_parameter_missing'
  | 'secret_audience_mismatch'
  | 'secret_expired'
  | 'secret_from_future'
  | 'secret_replayed'
  // Fail closed
  | 'store_unavailable';

export class VerificationError extends Error {
  readonly status: number;
  readonly error: VerificationErrorCode;
  readonly reason: VerificationReason;
  readonly description: string;

  constructor(error: VerificationErrorCode, reason: VerificationReason, description: string, options?: { cause?: unknown }) {
    super(`${error} (${reason}): ${description}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VerificationError';
    this.error = error;
    this.reason = reason;
    this.description = description;
    this.status = statusOf(error);
  }

  /** `Bearer error="…", error_description="…"` for the `WWW-Authenticate` response header. */
  get wwwAuthenticate(): string {
    // RFC 6750 §3: quoted strings; descriptions here never contain quotes or backslashes.
    const description = this.description.replace(/["\\]/g, "'");
    return `Bearer error="${this.error}", error_description="${description}"`;
  }
}

function statusOf(error: VerificationErrorCode): number {
  switch (error) {
    case 'invalid_request':
      return 400;
    case 'temporarily_unavailable':
      return 503;
    default:
      return 401;
  }
}

export function isVerificationError(e: unknown, code?: VerificationErrorCode): e is VerificationError {
  return e instanceof VerificationError && (code === undefined || e.error === code);
}

/**
 * A server option (verifier, store, key, decryption option) that is missing or wrong, found
 * when it is created: one error listing every problem, so a misconfigured server never starts
 * and never fails open later (an unset environment variable as `NaN` is refused, not used).
 */
export class PopServerConfigError extends Error {
  readonly code = 'config_invalid';
  readonly problems: readonly string[];

  constructor(what: string, problems: readonly string[]) {
    super(`pop-lib-server: ${what} is invalid:\n- ${problems.join('\n- ')}`);
    this.name = 'PopServerConfigError';
    this.problems = problems;
  }
}
