import { PopErrorCode } from './pop-error-code';

/**
 * The one error type the library throws. Branch on `code`, which is stable; `message` is
 * for humans and may change. `cause` carries the underlying error (from jose, WebCrypto,
 * HttpClient) when there is one.
 */
export class PopError extends Error {
  override readonly name = 'PopError';

  constructor(
    readonly code: PopErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `error` is a PopError, optionally with the given code. */
export function isPopError(error: unknown, code?: PopErrorCode): error is PopError {
  return error instanceof PopError && (code === undefined || error.code === code);
}
