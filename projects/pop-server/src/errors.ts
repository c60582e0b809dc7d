/**
 * Every rejection of the verifier is a `VerificationError`: an HTTP status and an RFC 6750
 * error code for the `WWW-Authenticate` header, plus a description safe to show the client.
 */
import type { WireErrorCode } from './protocol.ts';

/** The protocol's error codes (see `WIRE_ERROR_CODES`). */
export type VerificationErrorCode = WireErrorCode;

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
