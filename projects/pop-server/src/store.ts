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
