/** Assertions on verifier and decryption refusals, shared by the server specs. */
import assert from 'node:assert/strict';
import { isVerificationError, type VerificationErrorCode, type VerificationReason } from '../src/errors.ts';

/** `promise` rejects with a VerificationError of this wire `code` (and `reason`, when given). */
export async function rejects(promise: Promise<unknown>, code: VerificationErrorCode, reason?: VerificationReason): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(isVerificationError(e), `expected a VerificationError, got ${String(e)}`);
    assert.equal(e.error, code, e.description);
    if (reason) assert.equal(e.reason, reason, e.description);
    return true;
  });
}
