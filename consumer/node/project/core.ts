// Type-checks against the core and the Fetch API adapter with neither a framework nor redis
// installed (skipLibCheck: false, so the package's own .d.ts files are checked too).
import { createVerifier, generateServerKeys, isVerificationError, jwksAccessTokenValidator, MemoryStore, type VerifiedRequest } from 'pop-lib-server';
import { withPop } from 'pop-lib-server/fetch';

const keys = await generateServerKeys();
const verifier = createVerifier({
  keys,
  replayStore: new MemoryStore(),
  validateAccessToken: jwksAccessTokenValidator('https://idp.example/jwks', { issuer: 'https://idp.example', audience: 'bank' }),
});
export const handler: (request: Request) => Promise<Response> = withPop(verifier, (_request, pop) => Response.json({ sub: pop.accessTokenClaims.sub }));
export async function check(authorization: string): Promise<VerifiedRequest<unknown> | string> {
  try {
    return await verifier.verify({ method: 'GET', url: 'https://bank.example/api/accounts', authorization });
  } catch (e) {
    return isVerificationError(e) ? e.error : 'other';
  }
}
