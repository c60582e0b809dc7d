import { isPopError, PopError } from '../errors/pop-error';
import { PopConfig } from './pop-config';
import { resolvePopConfig, validatePopConfig } from './validate-pop-config';

const EC_JWK = { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'BBBB' };

function problemOf(config: unknown): string | undefined {
  try {
    validatePopConfig(config as PopConfig);
  } catch (e) {
    if (!isPopError(e, 'config_invalid')) throw e;
    return (e as PopError).message;
  }
  return undefined;
}

describe('validatePopConfig', () => {
  it('accepts a minimal config and fills in the defaults', () => {
    const resolved = validatePopConfig({ resourceServers: [{ baseUrl: 'https://bank.example/api' }] });
    expect(resolved.keyClaim).toBe('res_pub_key');
    expect(resolved.useCnfClaim).toBeTrue();
    expect(resolved.jwks).toEqual({ defaultMaxAgeMs: 300_000, refetchCooldownMs: 30_000, timeoutMs: 5_000 });
    expect(resolved.clientJwt).toEqual({ lifetimeSeconds: 30 });
    expect(resolved.credentials).toEqual({ maxSecretBytes: 4096 });
  });

  it('keeps given values over defaults', () => {
    const resolved = validatePopConfig({
      resourceServers: [{ baseUrl: '/api' }],
      keyClaim: 'server_key',
      useCnfClaim: false,
      jwks: { timeoutMs: 2000 },
    });
    expect(resolved.keyClaim).toBe('server_key');
    expect(resolved.useCnfClaim).toBeFalse();
    expect(validatePopConfig({ resourceServers: [{ baseUrl: '/api' }], keyClaim: false }).keyClaim).toBeFalse();
    expect(resolved.jwks).toEqual({ defaultMaxAgeMs: 300_000, refetchCooldownMs: 30_000, timeoutMs: 2000 });
  });

  it('accepts both key forms and the showcase config', () => {
    // { load } is what pemKey() and keycloakKey() of pop-lib/pem make (their own specs check them).
    const loaded = { load: () => Promise.resolve(EC_JWK) };
    expect(
      problemOf({
        resourceServers: [
          { baseUrl: '/idp', clientJwt: false, key: loaded },
          { baseUrl: '/api' },
          { baseUrl: 'https://a.example', key: { jwk: EC_JWK }, allowedJkuOrigins: ['https://keys.example', 'http://127.0.0.1:4300'] },
          { baseUrl: 'http://localhost:4300/x', key: loaded, jwksUrl: 'https://keys.example/jwks.json' },
        ],
        tokenProvider: () => null,
      }),
    ).toBeUndefined();
  });

  it('rejects a config that is not an object, or has no resource servers', () => {
    expect(problemOf(undefined)).toContain('must be an object');
    expect(problemOf([])).toContain('must be an object');
    expect(problemOf({})).toContain('resourceServers');
    expect(problemOf({ resourceServers: [] })).toContain('resourceServers');
    expect(problemOf({ resourceServers: 'x' })).toContain('resourceServers');
  });

  it('names unknown members, so typos fail loudly', () => {
    expect(problemOf({ resourceServers: [{ baseUrl: '/api' }], keyclaim: 'x' })).toContain('unknown member "keyclaim"');
    expect(problemOf({ resourceServers: [{ baseUrl: '/api', baseURL: '/x' }] })).toContain('resourceServers[0]: unknown member "baseURL"');
    expect(problemOf({ resourceServers: [{ baseUrl: '/api' }], jwks: { timeout: 1 } })).toContain('jwks: unknown member "timeout"');
  });

  it('rejects bad base URLs with their path in the message', () => {
    const cases: [unknown, string][] = [
      ['', 'resourceServers[0].baseUrl: must be a non-empty URL string'],
      [42, 'resourceServers[0].baseUrl: must be a non-empty URL string'],
      ['http://bank.example/api', 'must use https'],
      ['http://10.0.0.1/api', 'must use https'],
      ['https://bank.example/api?x=1', 'must not have a query or fragment'],
      ['https://bank.example/api#x', 'must not have a query or fragment'],
      ['https://user:pw@bank.example/api', 'must not contain credentials'],
      ['https://[bad', 'is not a URL'],
    ];
    for (const [baseUrl, message] of cases) {
      expect(problemOf({ resourceServers: [{ baseUrl }] })).withContext(String(baseUrl)).toContain(message);
    }
  });

  it('rejects the same base URL twice', () => {
    expect(problemOf({ resourceServers: [{ baseUrl: '/api' }, { baseUrl: '/api/' }] })).toContain('already resourceServers[0]');
  });

  it('rejects allowedJkuOrigins that are not https origins', () => {
    for (const origin of ['keys.example', 'https://keys.example/path', 'http://keys.example', 'https://keys.example?x', '*', 'HTTPS://KEYS.EXAMPLE', 42]) {
      expect(problemOf({ resourceServers: [{ baseUrl: '/api', allowedJkuOrigins: [origin] }] }))
        .withContext(String(origin))
        .toContain('allowedJkuOrigins[0]');
    }
    expect(problemOf({ resourceServers: [{ baseUrl: '/api', allowedJkuOrigins: 'https://keys.example' }] })).toContain('must be an array');
  });

  it('rejects configured keys of the wrong shape, private or symmetric', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----';
    const cases: [unknown, string][] = [
      ['x', 'must be { jwk } or { load }'],
      [{}, 'must be { jwk } or { load }'],
      [{ jwk: EC_JWK, load: () => Promise.resolve(EC_JWK) }, 'must be { jwk } or { load }'],
      [{ load: 'x' }, 'load: must be a function'],
      [{ jwk: 'x' }, 'must be a JWK object'],
      [{ jwk: { x: 'A' } }, 'must be a JWK object'],
      [{ jwk: { ...EC_JWK, d: 'A' } }, 'private or symmetric'],
      [{ jwk: { kty: 'oct', k: 'A' } }, 'private or symmetric'],
      // The forms of earlier versions are refused with a pointer to where they went.
      [{ pem }, "pemKey(pem) or keycloakKey(json) from 'pop-lib/pem'"],
      [{ keycloak: { 'realm-public-key': 'MIIB' } }, "pemKey(pem) or keycloakKey(json) from 'pop-lib/pem'"],
    ];
    for (const [key, message] of cases) {
      expect(problemOf({ resourceServers: [{ baseUrl: '/api', key }] })).withContext(JSON.stringify(key)).toContain(message);
    }
  });

  it('rejects wrong types and out-of-range numbers', () => {
    const base = { resourceServers: [{ baseUrl: '/api' }] };
    expect(problemOf({ ...base, keyClaim: '' })).toContain('keyClaim');
    expect(problemOf({ ...base, keyClaim: 'has space' })).toContain('keyClaim');
    // Only false switches the claim source off; anything else is a typo, not "off".
    for (const keyClaim of [true, null, 0, ['res_pub_key'], { name: 'x' }]) {
      expect(problemOf({ ...base, keyClaim })).withContext(JSON.stringify(keyClaim)).toContain('keyClaim: must be a claim name');
    }
    expect(problemOf({ ...base, useCnfClaim: 'yes' })).toContain('useCnfClaim');
    expect(problemOf({ ...base, tokenProvider: 'token' })).toContain('tokenProvider');
    expect(problemOf({ ...base, jwks: { timeoutMs: 0 } })).toContain('jwks.timeoutMs');
    expect(problemOf({ ...base, jwks: { timeoutMs: 1.5 } })).toContain('jwks.timeoutMs');
    expect(problemOf({ ...base, jwks: { defaultMaxAgeMs: -1 } })).toContain('jwks.defaultMaxAgeMs');
    expect(problemOf({ ...base, jwks: 5 })).toContain('jwks: must be an object');
    expect(problemOf({ ...base, clientJwt: { lifetimeSeconds: 0 } })).toContain('clientJwt.lifetimeSeconds');
    expect(problemOf({ ...base, credentials: { maxSecretBytes: Number.NaN } })).toContain('credentials.maxSecretBytes');
    expect(problemOf({ resourceServers: [{ baseUrl: '/api', clientJwt: 'no' }] })).toContain('resourceServers[0].clientJwt');
  });

  it('lists every problem at once', () => {
    const message = problemOf({ resourceServers: [{ baseUrl: 'http://bank.example' }], keyClaim: '', jwks: { timeoutMs: 0 } });
    expect(message?.split('\n- ').length).toBe(4);
  });
});

describe('resolvePopConfig', () => {
  it('fills defaults without validating, and is idempotent', () => {
    const once = resolvePopConfig({ resourceServers: [] });
    expect(resolvePopConfig(once)).toEqual(once);
    expect(once.keyClaim).toBe('res_pub_key');
  });
});
