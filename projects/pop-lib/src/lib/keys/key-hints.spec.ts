import { publicEncryptionJwk } from '../testing/keys';
import { makeJwt } from '../testing/tokens';
import { JWTPublicKeyExtractor, readKeyHints } from './key-hints';
import { codeOf } from '../testing/errors';

/** Both claim sources on, with the default claim name. */
const ALL = { cnf: true, claim: 'res_pub_key' } as const;

describe('readKeyHints', () => {
  it('reads cnf.jwk and cnf.jku (+kid) from the access token', async () => {
    const jwk = await publicEncryptionJwk();
    expect(readKeyHints(await makeJwt({ cnf: { jwk } }), ALL)).toEqual({ cnf: { jwk } });
    const jku = 'https://keys.example/pop-keys.json';
    expect(readKeyHints(await makeJwt({ cnf: { jku, kid: '2015-08-28' } }), ALL)).toEqual({ cnf: { jku, kid: '2015-08-28' } });
    expect(readKeyHints(await makeJwt({ cnf: { jku } }), ALL)).toEqual({ cnf: { jku } });
  });

  it('reads cnf from the access token inside a wrapper or a token response, never from the wrapper', async () => {
    const jwk = await publicEncryptionJwk();
    const accessToken = await makeJwt({ cnf: { jwk } });
    expect(readKeyHints(await makeJwt({ access_token: accessToken }), ALL).cnf).toEqual({ jwk });
    expect(readKeyHints({ access_token: accessToken }, ALL).cnf).toEqual({ jwk });
    const wrapperOnly = await makeJwt({ access_token: await makeJwt({ sub: 'a' }), cnf: { jwk } });
    expect(readKeyHints(wrapperOnly, ALL).cnf).toBeUndefined();
  });

  it('ignores confirmation methods that name the client key (jkt, x5t#S256, kid alone)', async () => {
    for (const cnf of [{ jkt: 'abc' }, { 'x5t#S256': 'abc' }, { kid: 'k1' }, {}]) {
      expect(readKeyHints(await makeJwt({ cnf }), ALL)).withContext(JSON.stringify(cnf)).toEqual({});
    }
  });

  it('rejects a malformed cnf', async () => {
    const jwk = await publicEncryptionJwk();
    const cases: unknown[] = [
      'x',
      [jwk],
      null,
      { jwk, jku: 'https://keys.example/k.json' },
      { jwk: 'x' },
      { jwk: [jwk] },
      { jku: 42 },
      { jku: '' },
      { jku: `https://keys.example/${'a'.repeat(2100)}` },
      { jku: 'https://keys.example/k.json', kid: 'a/b' },
      { jku: 'https://keys.example/k.json', kid: 'x'.repeat(129) },
      { jku: 'https://keys.example/k.json', kid: 5 },
    ];
    for (const cnf of cases) {
      const token = await makeJwt({ cnf } as never);
      expect(await codeOf(() => readKeyHints(token, ALL))).withContext(JSON.stringify(cnf).slice(0, 80)).toBe('cnf_invalid');
    }
  });

  it('reads the key claim from the wrapper first, then from the access token', async () => {
    const outer = await publicEncryptionJwk({ kid: 'outer' });
    const inner = await publicEncryptionJwk({ kid: 'inner' });
    const accessToken = await makeJwt({ res_pub_key: inner });
    expect(readKeyHints(await makeJwt({ access_token: accessToken, res_pub_key: outer }), ALL).claim?.kid).toBe('outer');
    expect(readKeyHints(await makeJwt({ access_token: accessToken }), ALL).claim?.kid).toBe('inner');
    expect(readKeyHints({ access_token: accessToken, res_pub_key: outer }, ALL).claim?.kid).toBe('outer');
    expect(readKeyHints(accessToken, ALL).claim?.kid).toBe('inner');
  });

  it('rejects a key claim that is not a JWK object', async () => {
    for (const claim of ['x', 42, [1], null]) {
      const token = await makeJwt({ res_pub_key: claim } as never);
      expect(await codeOf(() => readKeyHints(token, ALL))).withContext(String(claim)).toBe('key_invalid');
    }
  });

  it('finds no hints in an opaque access token', () => {
    expect(readKeyHints({ access_token: 'opaque-token' }, ALL)).toEqual({});
    expect(readKeyHints('opaque-token', ALL)).toEqual({});
  });

  it('propagates token errors rather than guessing', async () => {
    expect(await codeOf(() => readKeyHints('a.b.c', ALL))).toBe('token_malformed');
    expect(await codeOf(() => readKeyHints(`${'a'.repeat(9000)}.${'b'.repeat(9000)}.c`, ALL))).toBe('token_too_large');
  });
});

describe('readKeyHints with sources switched off', () => {
  it('cnf off: neither reads a cnf key nor fails on a malformed cnf', async () => {
    const jwk = await publicEncryptionJwk({ kid: 'claimed' });
    const sources = { cnf: false, claim: 'res_pub_key' } as const;
    expect(readKeyHints(await makeJwt({ cnf: { jwk }, res_pub_key: jwk }), sources)).toEqual({ claim: jwk });
    expect(readKeyHints(await makeJwt({ cnf: 'not an object' }), sources)).toEqual({});
    expect(readKeyHints(await makeJwt({ cnf: { jwk, jku: 'https://keys.example/k.json' } }), sources)).toEqual({});
  });

  it('claim false: ignores res_pub_key (and a malformed one) in the wrapper and the access token', async () => {
    const jwk = await publicEncryptionJwk();
    const sources = { cnf: true, claim: false } as const;
    const accessToken = await makeJwt({ res_pub_key: jwk });
    expect(readKeyHints(await makeJwt({ access_token: accessToken, res_pub_key: jwk }), sources)).toEqual({});
    expect(readKeyHints({ access_token: accessToken, res_pub_key: 'garbage' }, sources)).toEqual({});
    expect(readKeyHints(await makeJwt({ cnf: { jwk }, res_pub_key: jwk }), sources)).toEqual({ cnf: { jwk } });
  });

  it('both off: the token is not even parsed', () => {
    expect(readKeyHints('a.b.c', { cnf: false, claim: false })).toEqual({});
    expect(readKeyHints({ access_token: 'x.y.z' }, { cnf: false, claim: false })).toEqual({});
  });
});

describe('JWTPublicKeyExtractor', () => {
  it('extracts res_pub_key, or a configured claim name', async () => {
    const jwk = await publicEncryptionJwk({ kid: 'i0wng' });
    expect(JWTPublicKeyExtractor.extractKey(await makeJwt({ sub: '1234567890', res_pub_key: jwk }))).toEqual(jwk);
    expect(JWTPublicKeyExtractor.extractKey(await makeJwt({ server_key: jwk }), 'server_key')).toEqual(jwk);
    expect(JWTPublicKeyExtractor.extractKey(await makeJwt({ sub: 'x' }))).toBeUndefined();
  });

  it('reads only the key claim: a malformed cnf beside it does not matter', async () => {
    const jwk = await publicEncryptionJwk({ kid: 'k' });
    expect(JWTPublicKeyExtractor.extractKey(await makeJwt({ cnf: 'x', res_pub_key: jwk }))).toEqual(jwk);
  });
});
