/** How an access token names the bank's encryption key, in words, for the page. */
export function describeKeyHint(claims: Record<string, unknown> | null): { claim: string; detail: string } | null {
  if (!claims) return null;
  const resPubKey = claims['res_pub_key'] as { kid?: string; kty?: string; crv?: string } | undefined;
  if (resPubKey) return { claim: 'res_pub_key', detail: `the bank's public key itself (${resPubKey.kty} ${resPubKey.crv ?? ''}, kid ${resPubKey.kid})` };
  const cnf = claims['cnf'] as { jku?: string; kid?: string; jwk?: unknown } | undefined;
  if (cnf?.jku) return { claim: 'cnf.jku', detail: `the URL of the bank's key set, ${cnf.jku}, key ${cnf.kid}` };
  if (cnf?.jwk) return { claim: 'cnf.jwk', detail: "the bank's public key itself" };
  return null;
}
