import { PopError } from '../errors/pop-error';

/** An unpaired UTF-16 surrogate: `TextEncoder` would silently turn it into U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The UTF-8 bytes of `secret`, the JWE plaintext (protocol section 2). Rejects before any
 * crypto: a non-string or empty secret, one that UTF-8 cannot carry unchanged, and one
 * longer than `maxBytes` (the length is checked before encoding, so a huge input costs
 * nothing).
 */
export function encodeSecret(secret: unknown, maxBytes: number): Uint8Array {
  if (typeof secret !== 'string') {
    throw new PopError('secret_invalid', `The secret must be a string, not ${secret === null ? 'null' : typeof secret}.`);
  }
  if (secret.length === 0) {
    throw new PopError('secret_invalid', 'The secret is empty; there is nothing to encrypt.');
  }
  // Every UTF-16 code unit takes at least one UTF-8 byte, so this bound is safe.
  if (secret.length > maxBytes) {
    throw new PopError('secret_too_large', `The secret is longer than ${maxBytes} bytes (UTF-8), the configured limit.`);
  }
  if (LONE_SURROGATE.test(secret)) {
    throw new PopError('secret_invalid', 'The secret has an unpaired surrogate; it cannot be encoded as UTF-8 without changing it.');
  }
  const bytes = new TextEncoder().encode(secret);
  if (bytes.length > maxBytes) {
    throw new PopError('secret_too_large', `The secret is ${bytes.length} bytes (UTF-8); the configured limit is ${maxBytes}.`);
  }
  return bytes;
}
