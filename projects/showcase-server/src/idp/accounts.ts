/**
 * The identity provider's user directory. Demo only: one user, its password in the source.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Account } from 'oidc-provider';

export const DEMO_USER = { username: 'alice', password: 'wonderland' } as const;

const PASSWORDS = new Map<string, string>([[DEMO_USER.username, DEMO_USER.password]]);

/** The account id for a correct username and password, else null. */
export function authenticate(username: unknown, password: string): string | null {
  const expected = typeof username === 'string' ? PASSWORDS.get(username) : undefined;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  // Compare digests in constant time; an unknown user costs the same comparison.
  const matches = timingSafeEqual(digest(expected ?? '\u0000unknown'), digest(password));
  return matches && expected !== undefined ? (username as string) : null;
}

/** oidc-provider's `findAccount`: the subject is the username; no claims beyond `sub`. */
export function findAccount(accountId: string): Account | undefined {
  if (!PASSWORDS.has(accountId)) return undefined;
  return { accountId, claims: () => ({ sub: accountId }) };
}
