/**
 * How the provider's access tokens tell the browser where the bank's encryption key is
 * (pop-lib's key resolution, docs/protocol.md §1):
 *
 * - `res_pub_key` (default): the bank's public JWK as a top-level claim. Nothing else in the
 *   token uses that name, so no other feature of the provider can overwrite it.
 * - `cnf.jku`: an RFC 7800 confirmation claim naming the bank's JWKS URL and key id. The
 *   provider owns `cnf` for its own sender-constraining (DPoP `jkt`, mTLS `x5t#S256`): a token
 *   bound that way gets the provider's `cnf` instead of this one. The showcase turns DPoP off,
 *   so the claim survives; see docs/security.md on reading the server key from `cnf`.
 */
import type { JWK } from 'jose';
import type { ServerKeys } from '../../../pop-server/src/index.ts';

export type KeyHint = 'res_pub_key' | 'cnf.jku';
export const KEY_HINTS: readonly KeyHint[] = ['res_pub_key', 'cnf.jku'];

export function isKeyHint(value: unknown): value is KeyHint {
  return (KEY_HINTS as readonly unknown[]).includes(value);
}

/** The claims that carry the hint; `jwksUrl` is the bank's `pop-keys.json` as the browser addresses it. */
export function keyHintClaims(hint: KeyHint, bankKeys: ServerKeys, jwksUrl: string): Record<string, unknown> {
  const current = bankKeys.jwks().keys[0] as JWK;
  return hint === 'cnf.jku' ? { cnf: { jku: jwksUrl, kid: current.kid } } : { res_pub_key: current };
}
