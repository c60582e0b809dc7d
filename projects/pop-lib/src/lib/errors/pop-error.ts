import { PopErrorCode } from './pop-error-code';

/**
 * Longest cause text appended to a message: a cause can carry hostile input (a server's error
 * text), and a log line must stay bounded whatever it says.
 */
const MAX_CAUSE_TEXT = 300;

/**
 * The one error type the library throws. Branch on `code`, which is stable; `message` is
 * for humans and may change. `cause` carries the underlying error (from jose, WebCrypto,
 * HttpClient) when there is one, and the message then ends with the cause's name and
 * message (`…: Error: NotYetImplemented`), so a log shows the real reason.
 */
export class PopError extends Error {
  override readonly name = 'PopError';

  constructor(
    readonly code: PopErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(withCause(message, options?.cause), options);
  }
}

/** True when `error` is a PopError, optionally with the given code. */
export function isPopError(error: unknown, code?: PopErrorCode): error is PopError {
  return error instanceof PopError && (code === undefined || error.code === code);
}

/** `message: <cause>`, unless there is no readable cause or the message already quotes it. */
function withCause(message: string, cause: unknown): string {
  const { name, text } = describeCause(cause);
  if (text === undefined) return message;
  if (text.length > 0 && message.includes(text)) return message;
  const described = name === undefined ? text : text.length > 0 ? `${name}: ${text}` : name;
  const bounded = described.length > MAX_CAUSE_TEXT ? `${described.slice(0, MAX_CAUSE_TEXT)}…` : described;
  return `${message.replace(/\.$/, '')}: ${bounded}`;
}

/**
 * Name and message of an Error-like cause (Error, DOMException, HttpErrorResponse) or the
 * text of a string cause. JavaScript engines quote the input in a JSON `SyntaxError`; that
 * input may be part of a bearer token, so the quotation is replaced.
 */
function describeCause(cause: unknown): { name?: string; text?: string } {
  if (typeof cause === 'string') return cause.length > 0 ? { text: cause } : {};
  const name = readString(cause, 'name');
  const message = readString(cause, 'message');
  if (message === undefined) return {};
  const text = name === 'SyntaxError' ? message.replace(/"(?:[^"\\]|\\.)*"(?:\.\.\.)?/g, '"…"') : message;
  return { name: name || undefined, text };
}

/** A string property of `value`, read defensively: a throwing getter must not break the error. */
function readString(value: unknown, key: 'name' | 'message'): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    const read: unknown = (value as Record<string, unknown>)[key];
    return typeof read === 'string' ? read : undefined;
  } catch {
    return undefined;
  }
}
