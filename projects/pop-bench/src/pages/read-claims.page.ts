import { base64url } from 'jose';
import { readClaims } from 'pop-lib';
import { makeJwt } from '../../../pop-lib/src/lib/testing/tokens';
import type { BenchPage } from '../bench/bench-page';
import { measure, report } from '../bench/measure';

/** `readClaims` of a ~1 KB access token next to the least any claim reader must do. */
export async function readClaimsPage(): Promise<BenchPage> {
  return { providers: [], run };
}

async function run(): Promise<void> {
  const token = await makeJwt({ sub: 'alice', scope: 'x'.repeat(900) });
  const payload = token.split('.')[1] ?? '';
  const decoder = new TextDecoder();
  // Baseline: base64url decode + JSON.parse.
  const floor = await measure('base64url + JSON.parse', () => JSON.parse(decoder.decode(base64url.decode(payload))));
  const ours = await measure('readClaims', () => readClaims(token));
  report('readClaims (1 KB token)', [floor, ours]);
}
