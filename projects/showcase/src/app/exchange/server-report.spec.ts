import type { Exchange } from '../traffic/request-log';
import { serverReport } from './server-report';

const exchange = (path: string, status: number, body: unknown, headers: [string, string][] = []): Exchange => ({
  id: 1,
  sentAt: 0,
  request: { method: 'POST', url: `http://h${path}`, headers: [], body: null },
  clientJwt: null,
  response: { status, statusText: '', headers, body },
});

describe('serverReport', () => {
  it("turns the bank's report into facts and checks, with the decrypted PIN", () => {
    const report = serverReport(
      exchange('/api/pin', 200, {
        pin: '4711',
        verified: {
          clientJwt: { kid: 'k1', registeredKey: true, nonce: 5, htm: 'POST', htu: 'http://h/api/pin' },
          accessToken: { sub: 'alice', aud: 'http://h/api' },
          checks: ['signature'],
          decrypted: {
            jwe: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'b1', iat: 1_800_000_000, jti: 'AAAAAAAAAAAAAAAAAAAAAA' },
            audience: 'http://h/api/pin',
            ageSeconds: 3,
            checks: ['pin decrypted'],
          },
        },
      }),
    );
    expect(report?.server).toBe('bank');
    expect(report?.accepted).toBeTrue();
    expect(report?.decryptedSecret).toBe('4711');
    expect(report?.checks).toEqual(['signature', 'pin decrypted']);
    expect(report?.facts).toContain(['HMAC key (kid)', 'k1 — registered by this request']);
    expect(report?.facts).toContain(['secret meant for', 'http://h/api/pin']);
    expect(report?.facts).toContain(['secret iat', '1800000000 (3 s old when checked)']);
    expect(report?.facts).toContain(['secret jti', 'AAAAAAAAAAAAAAAAAAAAAA']);
  });

  it('reports a refusal with its challenge; a login is the provider, and never shows a password', () => {
    const refused = serverReport(exchange('/api/accounts', 401, { error: 'invalid_token', error_description: 'nonce already used' }, [['WWW-Authenticate', 'Bearer error="replayed_nonce"']]));
    expect(refused?.accepted).toBeFalse();
    expect(refused?.challenge).toBe('Bearer error="replayed_nonce"');
    expect(refused?.errorDescription).toBe('nonce already used');
    const login = serverReport(
      exchange('/idp/interaction/u/login', 200, {
        redirectTo: 'x',
        verified: { jwe: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'p1', iat: 1_800_000_000, jti: 'BBBBBBBBBBBBBBBBBBBBBB' }, audience: 'http://h/idp/interaction/u/login', ageSeconds: 0, account: 'alice', checks: ['aud', 'matches'] },
      }),
    );
    expect(login?.server).toBe('provider');
    expect(login?.decryptedSecret).toBeNull();
    expect(login?.checks).toEqual(['aud', 'matches']);
    expect(login?.facts).toContain(['secret iat', '1800000000 (0 s old when checked)']);
    expect(login?.facts).toContain(['secret meant for', 'http://h/idp/interaction/u/login']);
    expect(serverReport({ ...exchange('/api/pin', 200, {}), response: null })).toBeNull();
  });
});
