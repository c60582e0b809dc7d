/**
 * The one place the bank opens an encrypted PIN (pop-lib's `secureField`, docs/protocol.md §2),
 * for `POST /api/pin`: that URL is the audience the PIN's JWE is meant for.
 */
import { decryptCredential, type PopStore, type ServerKeys } from '../../../pop-server/src/index.ts';

/** The URL `POST /api/pin` answers to: the audience of its PIN JWEs. */
export function pinAudience(publicOrigin: string): string {
  return `${publicOrigin}/api/pin`;
}

export interface PinContext {
  keys: ServerKeys;
  /** `{publicOrigin}/api/pin`, the URL the browser posts the PIN to. */
  audience: string;
  /** Where used JWE ids are remembered, so a captured PIN JWE cannot be sent twice. */
  replayStore: PopStore;
}

/** The plaintext PIN; a `VerificationError` (400) when the value is not a JWE for the bank's key. */
export function decryptPin(jwe: unknown, context: PinContext): Promise<string> {
  // Fresh (iat), single use (jti) and for this endpoint only (aud): docs/protocol.md section 4.
  return decryptCredential(jwe, context.keys, { audience: context.audience, replayStore: context.replayStore });
}
