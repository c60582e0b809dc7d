import { base64url, calculateJwkThumbprint, JWK } from 'jose';
import { codeOf as popErrorCodeOf } from '../testing/errors';
import { publicEncryptionJwk } from '../testing/keys';
import { toEncryptionKey } from './encryption-key';
import {
  RFC7520_EC_PRIVATE,
  RFC7520_EC_PUBLIC,
  RFC7520_OCT_ENC,
  RFC7520_OCT_MAC,
  RFC7520_RSA_PUBLIC,
  RFC7638_RSA_PUBLIC,
  RFC7638_THUMBPRINT,
} from '../testing/rfc-vectors';

/** RFC 7638 section 3.1's key as the RFC prints it, with "alg" and "kid". */
const RFC7638_RSA = { ...RFC7638_RSA_PUBLIC, alg: 'RS256', kid: '2011-04-29' };

/** The error code `toEncryptionKey(jwk)` fails with, or 'accepted'. */
function codeOf(jwk: unknown): Promise<string> {
  return popErrorCodeOf(() => toEncryptionKey(jwk));
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

    it('accepts only the RSA public exponent 65537, in its minimal encoding', async () => {
      const rsa = without(RFC7520_RSA_PUBLIC, 'use');
      expect(await codeOf(rsa)).toBe('accepted');
      // e = 1 makes RSA the identity: anyone could undo the OAEP padding and read the secret.
      for (const e of ['AQ', 'Ag', 'Aw', 'EQ', 'AQAC', 'AAEAAQ', '', 65537]) {
        expect(await codeOf({ ...rsa, e })).withContext(String(e)).toBe('key_unsupported');
      }
    });

    it('rejects RSA keys over 4096 bits (their JWE would exceed the protocol\'s size limits)', async () => {
      const modulus = crypto.getRandomValues(new Uint8Array(8192 / 8));
      modulus[0] = (modulus[0] ?? 0) | 0x80;
      modulus[modulus.length - 1] = (modulus[modulus.length - 1] ?? 0) | 1;
      expect(await codeOf({ kty: 'RSA', n: base64url.encode(modulus), e: 'AQAB' })).toBe('key_unsupported');
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
