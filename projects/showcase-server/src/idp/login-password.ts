/**
 * The one place the provider opens an encrypted password (pop-lib's `secureField`,
 * docs/protocol.md §2). Each login form posts to its own interaction URL; that URL is the
 * audience the password's JWE is meant for.
 */
import { decryptCredential, type PopStore, type ServerKeys } from '../../../pop-server/src/index.ts';

/** The URL a login form posts to, `{issuer}/interaction/{uid}/login`: the audience of its password JWE. */
export function loginAudience(issuer: string, interactionUid: string): string {
  return `${issuer}/interaction/${interactionUid}/login`;
}

export interface PasswordContext {
  keys: ServerKeys;
  /** `loginAudience(issuer, uid)`. */
  audience: string;
  /** Where used JWE ids are remembered, so a captured password JWE cannot be sent twice. */
  replayStore: PopStore;
  /** The provider's clock for secrets (epoch ms), against which the JWE's `iat` is checked. */
  now: () => number;
}

/** The plaintext password; a `VerificationError` (400) when the value is not a JWE for our key. */
export function decryptLoginPassword(jwe: unknown, context: PasswordContext): Promise<string> {
  // Fresh (iat), single use (jti) and for this endpoint only (aud): docs/protocol.md section 4.
  return decryptCredential(jwe, context.keys, { audience: context.audience, replayStore: context.replayStore, now: context.now });
}
