/**
 * Each login form posts its password (a JWE, opened by `openSecretField`) to its own interaction
 * URL; that URL is the audience the password's JWE is meant for.
 */

/** The URL a login form posts to, `{issuer}/interaction/{uid}/login`: the audience of its password JWE. */
export function loginAudience(issuer: string, interactionUid: string): string {
  return `${issuer}/interaction/${interactionUid}/login`;
}
