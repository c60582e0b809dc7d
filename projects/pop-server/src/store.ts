import { VerificationError } from './errors.ts';

/**
 * The one storage primitive the verifier needs, for nonces and for HMAC key registrations:
 * "set if absent, with an absolute expiry". A store that cannot answer must throw; the
 * verifier then rejects the request (fails closed), it never accepts it.
 */
export interface PopStore {
  /**
   * Stores `value` under `key` until `expiresAtMs` (epoch milliseconds) unless the key is
   * present and unexpired. Returns true when it stored, false when the key was present.
   */
  setIfAbsent(key: string, value: string, expiresAtMs: number): Promise<boolean>;
  /** The unexpired value under `key`, or undefined. */
  get(key: string): Promise<string | undefined>;
}

/** Thrown by a store that refuses to store (full) or cannot be reached. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Runs a store operation; any failure rejects the request with a 503 `store_unavailable`
 * described by `description`: a store that cannot answer never lets a request through.
 */
export async function fromStore<R>(operation: () => Promise<R>, description: string): Promise<R> {
  try {
    return await operation();
  } catch (cause) {
    throw new VerificationError('temporarily_unavailable', 'store_unavailable', description, { cause });
  }
}
