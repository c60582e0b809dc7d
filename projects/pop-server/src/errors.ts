/**
 * Every rejection of the verifier is a `VerificationError`: an HTTP status and an RFC 6750
 * error code for the `WWW-Authenticate` header, plus a description safe to show the client.
 */
export type VerificationErrorCode =
  /** Bad signature, expired, wrong htm/htu, malformed, too large. */
  | 'invalid_token'
  /** The ClientJWT's `kid` is not (or no longer) registered: the client retries once with `hmac_key`. */
  | 'unknown_hmac_key'
  /** This `kid` + `nonce` was already seen within its window. */
  | 'replayed_nonce'
  /** A form field that should hold a compact JWE could not be decrypted. */
  | 'invalid_request'
  /** The replay or key store failed or is full: fail closed, the client may retry later. */
  | 'temporarily_unavailable';

export class VerificationError extends Error {
  readonly status: number;
  readonly error: VerificationErrorCode;
  readonly description: string;

  constructor(error: VerificationErrorCode, description: string, options?: { status?: number; cause?: unknown }) {
    super(`${error}: ${description}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VerificationError';
    this.error = error;
    this.description = description;
    this.status = options?.status ?? defaultStatus(error);
  }

  /** `Bearer error="…", error_description="…"` for the `WWW-Authenticate` response header. */
  get wwwAuthenticate(): string {
    // RFC 6750 §3: quoted strings; descriptions here never contain quotes or backslashes.
    const description = this.description.replace(/["\\]/g, "'");
    return `Bearer error="${this.error}", error_description="${description}"`;
  }
}

function defaultStatus(error: VerificationErrorCode): number {
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
