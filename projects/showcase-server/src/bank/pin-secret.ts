/**
 * Each bank endpoint that takes a PIN (a JWE, opened by `openSecretField`) is the audience of the
 * PIN JWEs sent to it: a PIN captured at one is refused at the other.
 */

/** The bank's endpoints that take a PIN, under `/api`. */
export type PinEndpoint = '/pin' | '/transfers';

/** The URL the browser posts a PIN to: the audience of its JWE. */
export function pinAudience(publicOrigin: string, endpoint: PinEndpoint): string {
  return `${publicOrigin}/api${endpoint}`;
}
