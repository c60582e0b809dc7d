/**
 * The one place the bank opens an encrypted PIN (pop-lib's `secureField`, docs/protocol.md §2).
 * Each endpoint that takes a PIN is the audience of the PIN JWEs sent to it: a PIN captured at
 * one is refused at the other.
 */
import { decryptCredential, type PopStore, type ServerKeys } from '../../../pop-server/src/index.ts';

/** The bank's endpoints that take a PIN, under `/api`. */
export type PinEndpoint = '/pin' | '/transfers';

/** The URL the browser posts a PIN to: the audience of its JWE. */
export function pinAudience(publicOrigin: string, endpoint: PinEndpoint): string {
  return `${publicOrigin}/api${endpoint}`;
}

export interface PinContext {
  keys: ServerKeys;
  /** `pinAudience(publicOrigin, endpoint)`. */
  audience: string;
  /** Where used JWE ids are remembered, so a captured PIN JWE cannot be sent twice. */
  replayStore: PopStore;
  /** The bank's clock (epoch ms), against which the JWE's `iat` is checked. */
  now: () => number;
}

/** The plaintext PIN; a `VerificationError` (400) when the value is not a JWE for the bank's key. */
export function decryptPin(jwe: unknown, context: PinContext): Promise<string> {
  // Fresh (iat), single use (jti) and for this endpoint only (aud): docs/protocol.md section 4.
  return decryptCredential(jwe, context.keys, { audience: context.audience, replayStore: context.replayStore, now: context.now });
}
