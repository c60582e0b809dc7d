import { publicEncryptionJwk } from '../testing/keys';
import { makeJwt } from '../testing/tokens';
import { JWTPublicKeyExtractor, readKeyHints } from './key-hints';
import { codeOf } from '../testing/errors';

describe('readKeyHints', () => {
  it('reads cnf.jwk and cnf.jku (+kid) from the access token', async () => {
    const jwk = await publicEncryptionJwk();
    expect(readKeyHints(await makeJwt({ cnf: { jwk } }), 'res_pub_key')).toEqual({ cnf: { jwk } });
    const jku = 'https://keys.example/pop-keys.json';
    expect(readKeyHints(await makeJwt({ cnf: { jku, kid: '2015-08-28' } }), 'res_pub_key')).toEqual({ cnf: { jku, kid: '2015-08-28' } });
    expect(readKeyHints(await makeJwt({ cnf: { jku } }), 'res_pub_key')).toEqual({ cnf: { jku } });
  });

  it('reads cnf from the access token inside a wrapper or a token response, never from the wrapper', async () => {
    const jwk = await publicEncryptionJwk();
    const accessToken = await makeJwt({ cnf: { jwk } });
    expect(readKeyHints(await makeJwt({ access_token: accessToken }), 'res_pub_key').cnf).toEqual({ jwk });
    expect(readKeyHints({ access_token: accessToken }, 'res_pub_key').cnf).toEqual({ jwk });
    const wrapperOnly = await makeJwt({ access_token: await makeJwt({ sub: 'a' }), cnf: { jwk } });
    expect(readKeyHints(wrapperOnly, 'res_pub_key').cnf).toBeUndefined();
  });

  it('ignores confirmation methods that name the client key (jkt, x5t#S256, kid alone)', async () => {
    for (const cnf of [{ jkt: 'abc' }, { 'x5t#S256': 'abc' }, { kid: 'k1' }, {}]) {
      expect(readKeyHints(await makeJwt({ cnf }), 'res_pub_key')).withContext(JSON.stringify(cnf)).toEqual({});
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
      expect(await codeOf(() => readKeyHints(token, 'res_pub_key'))).withContext(JSON.stringify(cnf).slice(0, 80)).toBe('cnf_invalid');
    }
  });

  it('reads the key claim from the wrapper first, then from the access token', async () => {
    const outer = await publicEncryptionJwk({ kid: 'outer' });
    const inner = await publicEncryptionJwk({ kid: 'inner' });
    const accessToken = await makeJwt({ res_pub_key: inner });
    expect(readKeyHints(await makeJwt({ access_token: accessToken, res_pub_key: outer }), 'res_pub_key').claim?.kid).toBe('outer');
    expect(readKeyHints(await makeJwt({ access_token: accessToken }), 'res_pub_key').claim?.kid).toBe('inner');
    expect(readKeyHints({ access_token: accessToken, res_pub_key: outer }, 'res_pub_key').claim?.kid).toBe('outer');
    expect(readKeyHints(accessToken, 'res_pub_key').claim?.kid).toBe('inner');
  });

  it('rejects a key claim that is not a JWK object', async () => {
    for (const claim of ['x', 42, [1], null]) {
      const token = await makeJwt({ res_pub_key: claim } as never);
      expect(await codeOf(() => readKeyHints(token, 'res_pub_key'))).withContext(String(claim)).toBe('key_invalid');
    }
  });

  it('finds no hints in an opaque access token', () => {
    expect(readKeyHints({ access_token: 'opaque-token' }, 'res_pub_key')).toEqual({});
    expect(readKeyHints('opaque-token', 'res_pub_key')).toEqual({});
  });

  it('propagates token errors rather than guessing', async () => {
    expect(await codeOf(() => readKeyHints('a.b.c', 'res_pub_key'))).toBe('token_malformed');
    expect(await codeOf(() => readKeyHints(`${'a'.repeat(9000)}.${'b'.repeat(9000)}.c`, 'res_pub_key'))).toBe('token_too_large');
  });
});

describe('JWTPublicKeyExtractor (seed 001)', () => {
  it('extracts res_pub_key, or a configured claim name', async () => {
    const jwk = await publicEncryptionJwk({ kid: 'i0wng' });
    expect(JWTPublicKeyExtractor.extractKey(await makeJwt({ sub: '1234567890', res_pub_key: jwk }))).toEqual(jwk);
    expect(JWTPublicKeyExtractor.extractKey(await makeJwt({ server_key: jwk }), 'server_key')).toEqual(jwk);
    expect(JWTPublicKeyExtractor.extractKey(await makeJwt({ sub: 'x' }))).toBeUndefined();
  });
});
