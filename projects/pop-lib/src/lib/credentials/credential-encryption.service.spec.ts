import { TestBed } from '@angular/core/testing';
import { compactDecrypt, decodeProtectedHeader, exportJWK, generateKeyPair, type JWK } from 'jose';
import { POP_CONFIG, type PopConfig } from '../config/pop-config';
import { isPopError, type PopError } from '../errors/pop-error';
import type { PopErrorCode } from '../errors/pop-error-code';
import { toEncryptionKey, type EncryptionKey } from '../keys/encryption-key';
import { KeyResolverService, type KeyRequest, type ResolvedKey } from '../keys/key-resolver.service';
import { CredentialEncryptionService } from './credential-encryption.service';
import { SERVER_KEY_TYPES, serverKeyPair, type ServerKeyPair } from '../testing/server-key-pairs';

/** Resolves with `error.code` (or fails the spec when `promise` does not reject with a PopError). */
async function rejectionCode(promise: Promise<unknown>): Promise<PopErrorCode> {
  try {
    await promise;
  } catch (error) {
    if (isPopError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a rejection');
}

async function decryptToText(jwe: string, pair: ServerKeyPair): Promise<string> {
  const { plaintext } = await compactDecrypt(jwe, pair.privateKey, {
    keyManagementAlgorithms: ['ECDH-ES+A256KW', 'RSA-OAEP-256'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  return new TextDecoder().decode(plaintext);
}

describe('CredentialEncryptionService', () => {
  let resolve: jasmine.Spy<(request: KeyRequest) => Promise<ResolvedKey>>;

  function setUp(config?: PopConfig): CredentialEncryptionService {
    resolve = jasmine.createSpy('resolve');
    TestBed.configureTestingModule({
      providers: [
        { provide: KeyResolverService, useValue: { resolve } },
        ...(config ? [{ provide: POP_CONFIG, useValue: config }] : []),
      ],
    });
    return TestBed.inject(CredentialEncryptionService);
  }

  describe('round trip: what it encrypts, the private key decrypts', () => {
    const pairs = new Map<string, ServerKeyPair>();

    beforeAll(async () => {
      for (const type of SERVER_KEY_TYPES) pairs.set(type, await serverKeyPair(type));
    });

    for (const type of SERVER_KEY_TYPES) {
      const expectedAlg = type.startsWith('RSA') ? 'RSA-OAEP-256' : 'ECDH-ES+A256KW';

      it(`${type}: a public JWK → ${expectedAlg} + A256GCM JWE with the key's kid, no zip`, async () => {
        const service = setUp();
        const pair = pairs.get(type) as ServerKeyPair;
        const secret = 'pässwörd 🔑 1234';
        const jwe = await service.encrypt(secret, pair.publicJwk);

        expect(jwe.split('.').length).toBe(5);
        expect(jwe).not.toContain('1234');
        const header = decodeProtectedHeader(jwe);
        expect(header.alg).toBe(expectedAlg);
        expect(header.enc).toBe('A256GCM');
        expect(header.kid).toBe(`test-${type}`);
        expect(header.zip).toBeUndefined();
        expect(await decryptToText(jwe, pair)).toBe(secret);
      });

      it(`${type}: an imported EncryptionKey works the same`, async () => {
        const service = setUp();
        const pair = pairs.get(type) as ServerKeyPair;
        const key = await toEncryptionKey(pair.publicJwk);
        expect(await decryptToText(await service.encrypt('12345678', key), pair)).toBe('12345678');
      });
    }

    it('encrypts the ClientJWT HMAC JWK (a JSON string) intact', async () => {
      const service = setUp();
      const pair = pairs.get('P-256') as ServerKeyPair;
      const hmacJwk = JSON.stringify({ kty: 'oct', alg: 'HS256', kid: 'AAECAwQFBgcICQoLDA0ODw', k: 'x'.repeat(43) });
      expect(await decryptToText(await service.encrypt(hmacJwk, pair.publicJwk), pair)).toBe(hmacJwk);
    });

    it('never produces the same JWE twice for the same secret (fresh CEK, IV, ephemeral key)', async () => {
      const service = setUp();
      const pair = pairs.get('X25519') as ServerKeyPair;
      const [a, b] = await Promise.all([service.encrypt('same', pair.publicJwk), service.encrypt('same', pair.publicJwk)]);
      expect(a).not.toBe(b);
    });

    it('omits kid from the header when the key has none', async () => {
      const service = setUp();
      const pair = pairs.get('P-384') as ServerKeyPair;
      const withoutKid: JWK = { ...pair.publicJwk };
      delete withoutKid.kid;
      const header = decodeProtectedHeader(await service.encrypt('secret', withoutKid));
      expect('kid' in header).toBeFalse();
    });
  });

  describe('secrets it refuses', () => {
    let jwk: JWK;

    beforeAll(async () => {
      jwk = (await serverKeyPair('P-256')).publicJwk;
    });

    it('an empty secret → secret_invalid', async () => {
      expect(await rejectionCode(setUp().encrypt('', jwk))).toBe('secret_invalid');
    });

    it('a non-string secret (from untyped callers) → secret_invalid', async () => {
      const service = setUp();
      expect(await rejectionCode(service.encrypt(null as unknown as string, jwk))).toBe('secret_invalid');
      expect(await rejectionCode(service.encrypt(1234 as unknown as string, jwk))).toBe('secret_invalid');
    });

    it('an unpaired surrogate (UTF-8 would silently change it) → secret_invalid', async () => {
      expect(await rejectionCode(setUp().encrypt('ab\uD83Dcd', jwk))).toBe('secret_invalid');
    });

    it('a 1 MB secret → secret_too_large (default limit 4096 UTF-8 bytes)', async () => {
      expect(await rejectionCode(setUp().encrypt('x'.repeat(1024 * 1024), jwk))).toBe('secret_too_large');
    });

    it('counts UTF-8 bytes, not characters: 4096 ASCII bytes pass, 1366 × "€" (4098 bytes) do not', async () => {
      const service = setUp();
      await expectAsync(service.encrypt('x'.repeat(4096), jwk)).toBeResolved();
      expect(await rejectionCode(service.encrypt('€'.repeat(1366), jwk))).toBe('secret_too_large');
      expect(await rejectionCode(service.encrypt('x'.repeat(4097), jwk))).toBe('secret_too_large');
    });

    it('honours credentials.maxSecretBytes from the configuration', async () => {
      const service = setUp({ resourceServers: [], credentials: { maxSecretBytes: 8 } });
      await expectAsync(service.encrypt('12345678', jwk)).toBeResolved();
      expect(await rejectionCode(service.encrypt('123456789', jwk))).toBe('secret_too_large');
    });

    it('a nonsensical maxSecretBytes → config_invalid, not an unlimited secret', async () => {
      const service = setUp({ resourceServers: [], credentials: { maxSecretBytes: Number.NaN } });
      expect(await rejectionCode(service.encrypt('1234', jwk))).toBe('config_invalid');
    });
  });

  describe('keys it refuses', () => {
    it('a sig-only key ("use":"sig") → key_use_mismatch', async () => {
      const jwk = { ...(await serverKeyPair('P-256')).publicJwk, use: 'sig' };
      expect(await rejectionCode(setUp().encrypt('1234', jwk))).toBe('key_use_mismatch');
    });

    it('a key whose alg is a signature algorithm (ES256) → key_use_mismatch', async () => {
      const jwk: JWK = { ...(await serverKeyPair('P-256')).publicJwk };
      delete jwk.use;
      expect(await rejectionCode(setUp().encrypt('1234', { ...jwk, alg: 'ES256' }))).toBe('key_use_mismatch');
    });

    it('RSA1_5 / dir / PBES2 named in the key → key_unsupported', async () => {
      const service = setUp();
      const rsa = (await serverKeyPair('RSA-2048')).publicJwk;
      // toEncryptionKey reads "RS…" as a signature algorithm; refused either way.
      expect(['key_unsupported', 'key_use_mismatch']).toContain(await rejectionCode(service.encrypt('1234', { ...rsa, alg: 'RSA1_5' })));
      expect(await rejectionCode(service.encrypt('1234', { ...rsa, alg: 'dir' }))).toBe('key_unsupported');
      expect(await rejectionCode(service.encrypt('1234', { ...rsa, alg: 'PBES2-HS256+A128KW' }))).toBe('key_unsupported');
    });

    it('a symmetric key → key_symmetric', async () => {
      const jwk: JWK = { kty: 'oct', k: 'AyM32w-8h2lSzFBWSSS9JoKXR4pN6D4s_e0JTf8Cghw', alg: 'A256KW' };
      expect(await rejectionCode(setUp().encrypt('1234', jwk))).toBe('key_symmetric');
    });

    it('a private JWK → key_private (the server leaked its key: refuse to use it)', async () => {
      const { privateKey } = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
      expect(await rejectionCode(setUp().encrypt('1234', await exportJWK(privateKey)))).toBe('key_private');
    });

    it('RSA under 2048 bits → key_too_weak', async () => {
      // jose refuses to generate such a key; WebCrypto does not.
      const { publicKey } = await crypto.subtle.generateKey(
        { name: 'RSA-OAEP', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        true,
        ['encrypt', 'decrypt'],
      );
      expect(await rejectionCode(setUp().encrypt('1234', await exportJWK(publicKey)))).toBe('key_too_weak');
    });

    it('not a JWK at all → key_invalid', async () => {
      expect(await rejectionCode(setUp().encrypt('1234', 'not a key' as unknown as JWK))).toBe('key_invalid');
    });

    it('a hand-built EncryptionKey with a forbidden algorithm → key_unsupported', async () => {
      const key = await toEncryptionKey((await serverKeyPair('RSA-2048')).publicJwk);
      const forged = { ...key, alg: 'RSA1_5' } as unknown as EncryptionKey;
      expect(await rejectionCode(setUp().encrypt('1234', forged))).toBe('key_unsupported');
    });

    it('a hand-built EncryptionKey holding a private CryptoKey → key_private', async () => {
      const pair = await serverKeyPair('P-256');
      const forged: EncryptionKey = { key: pair.privateKey, jwk: pair.publicJwk, alg: 'ECDH-ES+A256KW' };
      expect(await rejectionCode(setUp().encrypt('1234', forged))).toBe('key_private');
    });

    it('a hand-built EncryptionKey whose CryptoKey does not fit its alg → encryption_failed', async () => {
      const ec = await toEncryptionKey((await serverKeyPair('P-256')).publicJwk);
      const forged: EncryptionKey = { ...ec, alg: 'RSA-OAEP-256' };
      expect(await rejectionCode(setUp().encrypt('1234', forged))).toBe('encryption_failed');
    });

    it('a hand-built EncryptionKey with an oversized kid → key_invalid', async () => {
      const key = await toEncryptionKey((await serverKeyPair('P-256')).publicJwk);
      expect(await rejectionCode(setUp().encrypt('1234', { ...key, kid: 'k'.repeat(129) }))).toBe('key_invalid');
    });
  });

  describe('encryptFor', () => {
    it('asks KeyResolverService for the URL\'s key, then encrypts to it', async () => {
      const service = setUp();
      const pair = await serverKeyPair('P-521', 'bank-2026');
      resolve.and.resolveTo({ ...(await toEncryptionKey(pair.publicJwk)), source: 'cnf.jwk', baseUrl: '/api' });

      const jwe = await service.encryptFor('/api/pin', '4711', 'header.payload.signature');

      expect(resolve).toHaveBeenCalledOnceWith({ url: '/api/pin', oAuthToken: 'header.payload.signature' });
      expect(decodeProtectedHeader(jwe).kid).toBe('bank-2026');
      expect(await decryptToText(jwe, pair)).toBe('4711');
    });

    it('leaves the token to the resolver (token provider) when none is given', async () => {
      const service = setUp();
      const pair = await serverKeyPair('RSA-2048');
      resolve.and.resolveTo({ ...(await toEncryptionKey(pair.publicJwk)), source: 'jwks', baseUrl: '/idp' });
      await service.encryptFor('/idp/token', 'wonderland');
      expect(resolve).toHaveBeenCalledOnceWith({ url: '/idp/token' });
    });

    it('passes a key resolution failure on unchanged, never encrypting without a key', async () => {
      const service = setUp();
      const failure = Object.assign(new Error('no key'), { code: 'key_not_found' });
      resolve.and.callFake(() => Promise.reject(failure));
      await expectAsync(service.encryptFor('/api/pin', '4711')).toBeRejectedWith(failure);
    });

    it('rejects a bad secret before asking for a key', async () => {
      const service = setUp();
      const error = (await service.encryptFor('/api/pin', '').catch((e: unknown) => e)) as PopError;
      expect(error.code).toBe('secret_invalid');
      expect(resolve).not.toHaveBeenCalled();
    });
  });
});
