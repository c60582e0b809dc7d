import { base64url } from 'jose';
import { makeJwt } from '../testing/tokens';
import { measure, report } from '../testing/bench';
import { readClaims } from './read-claims';

describe('bench: readClaims', () => {
  it('reads the claims of a ~1 KB access token', async () => {
    const token = await makeJwt({ sub: 'alice', scope: 'x'.repeat(900) });
    const payload = token.split('.')[1] as string;
    const decoder = new TextDecoder();
    // Baseline: the least any claim reader must do (base64url decode + JSON.parse).
    const floor = await measure('base64url + JSON.parse', () => JSON.parse(decoder.decode(base64url.decode(payload))));
    const ours = await measure('readClaims', () => readClaims(token));
    report('readClaims (1 KB token)', [floor, ours]);
    expect(ours.samples).toBeGreaterThan(0);
  });
});
