import { calculateJwkThumbprint, JWK } from 'jose';
import { isPopError } from '../errors/pop-error';
import { publicEncryptionJwk } from '../testing/keys';
import { toEncryptionKey } from './encryption-key';

// RFC 7520 ("JOSE Cookbook") section 3, JSON Web Key examples, written out here.
/** Figure 1: EC P-521 public key. */
const RFC7520_EC_PUBLIC = {
  kty: 'EC',
  kid: 'bilbo.baggins@hobbiton.example',
  use: 'sig',
  crv: 'P-521',
  x: 'AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt',
  y: 'AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1',
};
/** Figure 2: the same key with its private part. */
const RFC7520_EC_PRIVATE = {
  ...RFC7520_EC_PUBLIC,
  d: 'AAhRON2r9cqXX1hg-RoI6R1tX5p2rUAYdmpHZoC1XNM56KtscrX6zbKipQrCW9CGZH3T4ubpnoTKLDYJ_fF3_rJt',
};
/** Figure 3: RSA 2048-bit public key. */
const RFC7520_RSA_PUBLIC = {
  kty: 'RSA',
  kid: 'bilbo.baggins@hobbiton.example',
  use: 'sig',
  n:
    'n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-' +
    'QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzw' +
    'OHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw',
  e: 'AQAB',
};
/** Figure 5: symmetric key for MAC computation. */
const RFC7520_OCT_MAC = {
  kty: 'oct',
  kid: '018c0ae5-4d9b-471b-bfd6-eef314bc7037',
  use: 'sig',
  alg: 'HS256',
  k: 'hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg',
};
/** Figure 6: symmetric key for encryption. */
const RFC7520_OCT_ENC = {
  kty: 'oct',
  kid: '1e571774-2e08-40da-8308-e8d68773842d',
  use: 'enc',
  alg: 'A256GCM',
  k: 'AAPapAv4LbFbiVawEjagUBluYqN5rhna-8nuldDvOx8',
};
/** RFC 7638 section 3.1: the thumbprint example key and its published thumbprint. */
const RFC7638_RSA = {
  kty: 'RSA',
  n:
    '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-' +
    '5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-' +
    'bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
  e: 'AQAB',
  alg: 'RS256',
  kid: '2011-04-29',
};
const RFC7638_THUMBPRINT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';

async function codeOf(jwk: unknown): Promise<string> {
  try {
    await toEncryptionKey(jwk);
  } catch (e) {
    return isPopError(e) ? e.code : `not a PopError: ${String(e)}`;
  }
  return 'accepted';
}

function without<T extends object>(jwk: T, ...members: string[]): JWK {
  return Object.fromEntries(Object.entries(jwk).filter(([name]) => !members.includes(name))) as JWK;
}

describe('toEncryptionKey', () => {
  describe('RFC 7520 section 3 keys', () => {
    it('3.1: rejects the EC public key as published, since it is marked "use":"sig"', async () => {
      expect(await codeOf(RFC7520_EC_PUBLIC)).toBe('key_use_mismatch');
    });

    it('3.1: imports the same P-521 key without "use" for ECDH-ES+A256KW, keeping kid and coordinates', async () => {
      const key = await toEncryptionKey(without(RFC7520_EC_PUBLIC, 'use'));
      expect(key.alg).toBe('ECDH-ES+A256KW');
      expect(key.kid).toBe('bilbo.baggins@hobbiton.example');
      expect(key.key.type).toBe('public');
      expect((key.key.algorithm as EcKeyAlgorithm).namedCurve).toBe('P-521');
      expect(key.jwk).toEqual(without(RFC7520_EC_PUBLIC, 'use'));
    });

    it('3.1: preserves the key exactly (JWK thumbprint as independently published for this key)', async () => {
      const key = await toEncryptionKey(without(RFC7520_EC_PUBLIC, 'use'));
      expect(await calculateJwkThumbprint(key.jwk)).toBe('dHri3SADZkrush5HU_50AoRhcKFryN-PI6jPBtPL55M');
    });

    it('3.2: rejects the EC private key', async () => {
      expect(await codeOf(RFC7520_EC_PRIVATE)).toBe('key_private');
      expect(await codeOf(without(RFC7520_EC_PRIVATE, 'use'))).toBe('key_private');
    });

    it('3.3: imports the 2048-bit RSA key without "use" for RSA-OAEP-256', async () => {
      expect(await codeOf(RFC7520_RSA_PUBLIC)).toBe('key_use_mismatch');
      const key = await toEncryptionKey(without(RFC7520_RSA_PUBLIC, 'use'));
      expect(key.alg).toBe('RSA-OAEP-256');
      expect((key.key.algorithm as RsaHashedKeyAlgorithm).modulusLength).toBe(2048);
    });

    it('3.5 and 3.6: rejects both symmetric keys, whatever their use', async () => {
      expect(await codeOf(RFC7520_OCT_MAC)).toBe('key_symmetric');
      expect(await codeOf(RFC7520_OCT_ENC)).toBe('key_symmetric');
      expect(await codeOf(without(RFC7520_OCT_ENC, 'k'))).toBe('key_symmetric');
    });
  });

  describe('RFC 7638 thumbprint example', () => {
    it('rejects the key as published: its alg RS256 is a signature algorithm', async () => {
      expect(await codeOf(RFC7638_RSA)).toBe('key_use_mismatch');
    });

    it('imports it without alg, and the kept public JWK has the published thumbprint', async () => {
      const key = await toEncryptionKey(without(RFC7638_RSA, 'alg'));
      expect(key.kid).toBe('2011-04-29');
      expect(await calculateJwkThumbprint(key.jwk)).toBe(RFC7638_THUMBPRINT);
    });
  });

  describe('algorithm choice', () => {
    it('accepts a key whose alg is the one the protocol picks for its type', async () => {
      expect((await toEncryptionKey(await publicEncryptionJwk({ alg: 'ECDH-ES+A256KW' }))).alg).toBe('ECDH-ES+A256KW');
      expect((await toEncryptionKey(without(RFC7638_RSA, 'alg') as JWK & { alg?: string }).then((k) => k.alg))).toBe('RSA-OAEP-256');
      expect(await codeOf({ ...without(RFC7638_RSA, 'alg'), alg: 'RSA-OAEP-256' })).toBe('accepted');
    });

    it('refuses weaker or other key management algorithms named by the key', async () => {
      for (const alg of ['RSA1_5', 'RSA-OAEP', 'RSA-OAEP-512', 'dir', 'PBES2-HS256+A128KW', 'A256KW', 'ECDH-ES', 'HS256x']) {
        expect(await codeOf({ ...without(RFC7638_RSA, 'alg'), alg })).withContext(alg).toBe('key_unsupported');
      }
      expect(await codeOf(await publicEncryptionJwk({ alg: 'RSA-OAEP-256' }))).toBe('key_unsupported');
    });

    it('refuses keys whose alg is a signature algorithm', async () => {
      for (const alg of ['ES256', 'ES384', 'RS256', 'RS512', 'PS256', 'EdDSA', 'Ed25519', 'HS256', 'ES256K']) {
        expect(await codeOf(await publicEncryptionJwk({ alg }))).withContext(alg).toBe('key_use_mismatch');
      }
    });
  });

  describe('use and key_ops', () => {
    it('accepts "use":"enc" and no use, refuses any other use', async () => {
      expect(await codeOf(await publicEncryptionJwk({ use: 'enc' }))).toBe('accepted');
      expect(await codeOf(await publicEncryptionJwk())).toBe('accepted');
      expect(await codeOf(await publicEncryptionJwk({ use: 'sig' }))).toBe('key_use_mismatch');
      expect(await codeOf(await publicEncryptionJwk({ use: 'other' }))).toBe('key_use_mismatch');
    });

    it('honours key_ops: encrypting operations pass, signing-only or malformed lists do not', async () => {
      expect(await codeOf(await publicEncryptionJwk({ key_ops: ['deriveKey'] }))).toBe('accepted');
      expect(await codeOf(await publicEncryptionJwk({ key_ops: ['wrapKey', 'encrypt'] }))).toBe('accepted');
      expect(await codeOf(await publicEncryptionJwk({ key_ops: ['verify'] }))).toBe('key_use_mismatch');
      expect(await codeOf(await publicEncryptionJwk({ key_ops: [] }))).toBe('key_use_mismatch');
      expect(await codeOf({ ...(await publicEncryptionJwk()), key_ops: 'encrypt' })).toBe('key_use_mismatch');
    });
  });

  describe('hostile keys', () => {
    it('rejects values that are not JWK objects', async () => {
      for (const value of [null, undefined, 'jwk', 42, [], [RFC7638_RSA]]) {
        expect(await codeOf(value)).withContext(String(value)).toBe('key_invalid');
      }
    });

    it('rejects every private member, even on an otherwise public key', async () => {
      const jwk = await publicEncryptionJwk();
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) {
        expect(await codeOf({ ...jwk, [member]: 'AQAB' })).withContext(member).toBe('key_private');
      }
    });

    it('rejects RSA keys under 2048 bits', async () => {
      const { publicKey } = await crypto.subtle.generateKey(
        { name: 'RSA-OAEP', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        true,
        ['encrypt', 'decrypt'],
      );
      const jwk = (await crypto.subtle.exportKey('jwk', publicKey)) as JWK;
      expect(await codeOf(without(jwk, 'alg', 'key_ops', 'ext'))).toBe('key_too_weak');
    });

    it('rejects unknown curves and key types, and mismatched kty/crv', async () => {
      const p256 = await publicEncryptionJwk();
      expect(await codeOf({ ...p256, crv: 'secp256k1' })).toBe('key_unsupported');
      expect(await codeOf({ ...p256, crv: 'X25519' })).toBe('key_unsupported');
      expect(await codeOf({ ...p256, kty: 'OKP', crv: 'P-256' })).toBe('key_unsupported');
      expect(await codeOf({ ...p256, kty: 'OKP', crv: 'Ed25519' })).toBe('key_unsupported');
      expect(await codeOf({ ...p256, kty: 'AKP' })).toBe('key_unsupported');
      expect(await codeOf({ x: p256.x })).toBe('key_unsupported');
    });

    it('rejects coordinates that do not fit the named curve', async () => {
      const p256 = await publicEncryptionJwk();
      expect(await codeOf({ ...without(RFC7520_EC_PUBLIC, 'use'), crv: 'P-256' })).toBe('key_invalid');
      expect(await codeOf({ ...p256, crv: 'P-384' })).toBe('key_invalid');
      expect(await codeOf({ ...p256, y: p256.x })).toBe('key_invalid');
      expect(await codeOf({ kty: 'RSA', e: 'AQAB' })).toBe('key_invalid');
    });
  });

  it('keeps only public members in the returned JWK', async () => {
    const key = await toEncryptionKey({ ...(await publicEncryptionJwk({ kid: 'k1', use: 'enc' })), x5u: 'https://evil.example', extra: 'x' });
    expect(Object.keys(key.jwk).sort()).toEqual(['crv', 'kid', 'kty', 'use', 'x', 'y']);
  });
});
