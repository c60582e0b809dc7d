import { jwksBody, publicEncryptionJwk } from '../testing/keys';
import { MAX_JWKS_BYTES } from '../../protocol';
import { indexJwks, parseJwks } from './jwks-document';
import { codeOf } from '../testing/errors';
import { RFC7520_EC_PRIVATE, RFC7520_EC_PUBLIC, RFC7520_RSA_PUBLIC } from '../testing/rfc-vectors';

const SRC = 'https://bank.example/api/pop-keys.json';

describe('parseJwks', () => {
  it('returns the keys of {"keys":[...]}', async () => {
    const jwk = await publicEncryptionJwk({ kid: 'a' });
    expect(parseJwks(jwksBody(jwk), SRC)).toEqual([jwk]);
    expect(parseJwks('{"keys":[]}', SRC)).toEqual([]);
  });

  it('rejects bodies that are not JSON, naming the URL', async () => {
    for (const body of ['', 'not json', '<html>', '{"keys":[', '\u0000']) {
      expect(await codeOf(() => parseJwks(body, SRC))).withContext(body).toBe('jwks_invalid');
    }
    try {
      parseJwks('nope', SRC);
    } catch (e) {
      expect((e as Error).message).toContain(SRC);
    }
  });

  it('rejects JSON that is not a JWKS', async () => {
    for (const body of ['{"keys":"x"}', '{"keys":{}}', '{"keys":null}', '{}', '[]', '"keys"', '42', 'null', '{"keys":[1]}', '{"keys":[null]}', '{"keys":[[]]}', '{"keys":[{"n":"x"}]}', '{"keys":[{"kty":7}]}']) {
      expect(await codeOf(() => parseJwks(body, SRC))).withContext(body).toBe('jwks_invalid');
    }
  });

  it('rejects a body that is not text', async () => {
    expect(await codeOf(() => parseJwks({ keys: [] }, SRC))).toBe('jwks_invalid');
    expect(await codeOf(() => parseJwks(null, SRC))).toBe('jwks_invalid');
  });

  it('rejects more than 64 KiB, counted in UTF-8 bytes', async () => {
    const padded = (n: number, char: string) => `{"keys":[],"pad":"${char.repeat(n)}"}`;
    const overhead = padded(0, 'a').length;
    expect(await codeOf(() => parseJwks(padded(MAX_JWKS_BYTES - overhead, 'a'), SRC))).toBe('accepted');
    expect(await codeOf(() => parseJwks(padded(MAX_JWKS_BYTES - overhead + 1, 'a'), SRC))).toBe('jwks_invalid');
    // 30 000 three-byte characters: under 64 Ki characters, over 64 KiB.
    expect(await codeOf(() => parseJwks(padded(30_000, '€'), SRC))).toBe('jwks_invalid');
  });

  it('rejects more than 100 keys', async () => {
    const key = { kty: 'EC' };
    expect(await codeOf(() => parseJwks(jwksBody(...Array(100).fill(key)), SRC))).toBe('accepted');
    expect(await codeOf(() => parseJwks(jwksBody(...Array(101).fill(key)), SRC))).toBe('jwks_invalid');
  });
});

describe('indexJwks', () => {
  it('keeps usable keys in document order with their kid and use', async () => {
    const a = await publicEncryptionJwk({ kid: 'a', use: 'enc' });
    const b = await publicEncryptionJwk({ kid: 'b' });
    const c = await publicEncryptionJwk();
    const { entries, rejected } = await indexJwks([a, b, c], SRC);
    expect(entries.map((e) => [e.kid, e.use])).toEqual([['a', 'enc'], ['b', undefined], [undefined, undefined]]);
    expect(entries[0]?.value.jwk.x).toBe(a.x);
    expect(rejected).toEqual([]);
  });

  it('skips keys for signing, too weak or on unknown curves, remembering why', async () => {
    const sig = await publicEncryptionJwk({ kid: 'sig', use: 'sig' });
    const curve = { ...(await publicEncryptionJwk({ kid: 'curve' })), crv: 'P-192' };
    const good = await publicEncryptionJwk({ kid: 'good' });
    const { entries, rejected } = await indexJwks([sig, curve, good], SRC);
    expect(entries.map((e) => e.kid)).toEqual(['good']);
    expect(rejected.map((r) => [r.kid, r.error.code])).toEqual([['sig', 'key_use_mismatch'], ['curve', 'key_unsupported']]);
  });

  it('refuses the whole document when any key is private', async () => {
    const good = await publicEncryptionJwk({ kid: 'good' });
    const leaked = { ...(await publicEncryptionJwk({ kid: 'leaked' })), d: 'AAAA' };
    expect(await codeOf(() => indexJwks([good, leaked], SRC))).toBe('key_private');
    expect(await codeOf(() => indexJwks([leaked], SRC))).toBe('key_private');
  });

  it('refuses the whole document when any key is symmetric', async () => {
    const good = await publicEncryptionJwk({ kid: 'good' });
    expect(await codeOf(() => indexJwks([good, { kty: 'oct', k: 'AAPapAv4LbFbiVawEjagUBluYqN5rhna-8nuldDvOx8' }], SRC))).toBe('key_symmetric');
    expect(await codeOf(() => indexJwks([{ kty: 'oct', kid: 'x' }], SRC))).toBe('key_symmetric');
  });

  it('refuses two keys with the same kid and use, but allows one kid for two uses', async () => {
    const a1 = await publicEncryptionJwk({ kid: 'a', use: 'enc' });
    const a2 = await publicEncryptionJwk({ kid: 'a', use: 'enc' });
    const aSig = await publicEncryptionJwk({ kid: 'a', use: 'sig' });
    const n1 = await publicEncryptionJwk({ kid: 'n' });
    const n2 = await publicEncryptionJwk({ kid: 'n' });
    expect(await codeOf(() => indexJwks([a1, a2], SRC))).toBe('jwks_invalid');
    expect(await codeOf(() => indexJwks([n1, n2], SRC))).toBe('jwks_invalid');
    expect((await indexJwks([a1, aSig], SRC)).entries.map((e) => e.use)).toEqual(['enc']);
  });

  it('refuses malformed kids and uses before they reach the bag', async () => {
    const jwk = await publicEncryptionJwk();
    for (const kid of ['', 'a/b', 'a b', 'x'.repeat(129), 7, 'a\nb', '../x']) {
      expect(await codeOf(() => indexJwks([{ ...jwk, kid } as never], SRC))).withContext(String(kid)).toBe('jwks_invalid');
    }
    expect(await codeOf(() => indexJwks([{ ...jwk, use: 1 } as never], SRC))).toBe('jwks_invalid');
    expect(await codeOf(() => indexJwks([{ ...jwk, kid: 'x'.repeat(128) }], SRC))).toBe('accepted');
  });

  describe('RFC 7520 section 3 keys in one JWKS', () => {
    const ec = RFC7520_EC_PUBLIC;
    const rsa = RFC7520_RSA_PUBLIC;

    it('refuses 3.1 and 3.3 together: one kid, one use, two keys', async () => {
      expect(await codeOf(() => indexJwks([ec, rsa], SRC))).toBe('jwks_invalid');
    });

    it('skips 3.1 as a signing key and keeps 3.3 published for encryption', async () => {
      const { entries, rejected } = await indexJwks([ec, { ...rsa, use: 'enc' }], SRC);
      expect(entries.map((e) => [e.kid, e.use, e.value.alg])).toEqual([['bilbo.baggins@hobbiton.example', 'enc', 'RSA-OAEP-256']]);
      expect(rejected.map((r) => r.error.code)).toEqual(['key_use_mismatch']);
    });

    it('refuses the whole set when 3.2 (the private key) is in it', async () => {
      const privateEc = { ...RFC7520_EC_PRIVATE, use: 'enc' };
      expect(await codeOf(() => indexJwks([{ ...rsa, use: 'enc' }, privateEc], SRC))).toBe('key_private');
    });
  });
});
