import { TestBed } from '@angular/core/testing';
import { base64url, compactDecrypt, decodeProtectedHeader, exportJWK, generateKeyPair, type JWK } from 'jose';
import { SECRET_JTI_PATTERN, type SecretJweHeader } from '../../protocol';
import { TimestampGenerator } from '../client-jwt/timestamp-generator';
import { POP_BASE_URI } from '../config/page-base';
import { POP_CONFIG, type PopConfig } from '../config/pop-config';
import { POP_CLOCK } from '../keys/pop-clock';
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

const ALLOWED = { keyManagementAlgorithms: ['ECDH-ES+A256KW', 'RSA-OAEP-256'], contentEncryptionAlgorithms: ['A256GCM'] };

async function decryptToText(jwe: string, pair: ServerKeyPair): Promise<string> {
  const { plaintext } = await compactDecrypt(jwe, pair.privateKey, ALLOWED);
  return new TextDecoder().decode(plaintext);
}

/** The plaintext and the protected header as the server sees them after decrypting (authenticated). */
async function decryptWithHeader(jwe: string, pair: ServerKeyPair): Promise<{ text: string; header: Record<string, unknown> }> {
  const { plaintext, protectedHeader } = await compactDecrypt(jwe, pair.privateKey, ALLOWED);
  return { text: new TextDecoder().decode(plaintext), header: protectedHeader };
}

/** `jwe` with its protected header replaced by `header`: what someone who edits a captured JWE sends. */
function withHeader(jwe: string, header: object): string {
  const [, ...rest] = jwe.split('.');
  return [base64url.encode(JSON.stringify(header)), ...rest].join('.');
}

/** The protected header of a secret's JWE, read without decrypting. */
function secretHeader(jwe: string): SecretJweHeader & { epk?: unknown } {
  return decodeProtectedHeader(jwe) as unknown as SecretJweHeader & { epk?: unknown };
}

/** A fixed clock: 2026-11-22T10:00:00.750Z. */
const NOW_MS = Date.UTC(2026, 10, 22, 10, 0, 0, 750);
const PAGE = 'https://app.example/login/';

/** The endpoint most specs encrypt for. */
const AT_PIN = { audience: 'https://bank.example/api/pin' };

describe('CredentialEncryptionService', () => {
  let resolve: jasmine.Spy<(request: KeyRequest) => Promise<ResolvedKey>>;

  function setUp(config?: PopConfig, page: string | null = PAGE): CredentialEncryptionService {
    resolve = jasmine.createSpy('resolve');
    TestBed.configureTestingModule({
      providers: [
        { provide: KeyResolverService, useValue: { resolve } },
        { provide: POP_CLOCK, useValue: () => NOW_MS },
        { provide: POP_BASE_URI, useValue: () => page ?? undefined },
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
        const jwe = await service.encrypt(secret, pair.publicJwk, AT_PIN);

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
        expect(await decryptToText(await service.encrypt('12345678', key, AT_PIN), pair)).toBe('12345678');
      });
    }

    it('encrypts a JSON string secret intact', async () => {
      const service = setUp();
      const pair = pairs.get('P-256') as ServerKeyPair;
      const hmacJwk = JSON.stringify({ kty: 'oct', alg: 'HS256', kid: 'AAECAwQFBgcICQoLDA0ODw', k: 'x'.repeat(43) });
      expect(await decryptToText(await service.encrypt(hmacJwk, pair.publicJwk, AT_PIN), pair)).toBe(hmacJwk);
    });

    it('never produces the same JWE twice for the same secret (fresh CEK, IV, ephemeral key)', async () => {
      const service = setUp();
      const pair = pairs.get('X25519') as ServerKeyPair;
      const [a, b] = await Promise.all([service.encrypt('same', pair.publicJwk, AT_PIN), service.encrypt('same', pair.publicJwk, AT_PIN)]);
      expect(a).not.toBe(b);
    });

    it('omits kid from the header when the key has none', async () => {
      const service = setUp();
      const pair = pairs.get('P-384') as ServerKeyPair;
      const withoutKid: JWK = { ...pair.publicJwk };
      delete withoutKid.kid;
      const header = decodeProtectedHeader(await service.encrypt('secret', withoutKid, AT_PIN));
      expect('kid' in header).toBeFalse();
    });
  });

  describe('protected header: iat, jti, aud (fresh, single-use, bound to one endpoint)', () => {
    let pair: ServerKeyPair;

    beforeAll(async () => {
      pair = await serverKeyPair('P-256', 'bank-1');
    });

    it('carries iat (seconds), a 128-bit jti and the normalised aud, authenticated; the plaintext is the bare secret', async () => {
      const service = setUp();
      const jwe = await service.encrypt('4711', pair.publicJwk, { audience: 'https://BANK.example:443/api/./pin?session=1#top' });
      const { text, header } = await decryptWithHeader(jwe, pair);
      expect(text).toBe('4711');
      expect(header).toEqual({
        alg: 'ECDH-ES+A256KW',
        enc: 'A256GCM',
        kid: 'bank-1',
        iat: Math.floor(NOW_MS / 1000),
        jti: jasmine.stringMatching(SECRET_JTI_PATTERN),
        aud: 'https://bank.example/api/pin',
        epk: jasmine.any(Object),
      });
      expect(base64url.decode(header['jti'] as string).length).toBe(16);
    });

    it('resolves a relative audience against the page', async () => {
      const jwe = await setUp().encrypt('4711', pair.publicJwk, { audience: '../api/pin' });
      expect(secretHeader(jwe).aud).toBe('https://app.example/api/pin');
    });

    it('never repeats a jti (1000 encryptions of the same secret)', async () => {
      const service = setUp();
      const key = await toEncryptionKey(pair.publicJwk);
      const jtis = new Set<unknown>();
      for (let i = 0; i < 1000; i++) jtis.add(secretHeader(await service.encrypt('same', key, AT_PIN)).jti);
      expect(jtis.size).toBe(1000);
    });

    it('iat follows the clock offset learnt from the audience\'s resource server, and only that server\'s', async () => {
      const service = setUp({ resourceServers: [{ baseUrl: 'https://bank.example/api' }, { baseUrl: '/idp' }] });
      const timestamps = TestBed.inject(TimestampGenerator);
      // The bank's Date header says it is one hour later than the local clock.
      timestamps.observeServerDate('https://bank.example/api', new Date(NOW_MS + 3_600_000).toUTCString(), NOW_MS, NOW_MS);
      const offset = timestamps.offsetFor('https://bank.example/api');
      expect(Math.abs(offset - 3_600_000)).toBeLessThan(1000);
      const bank = secretHeader(await service.encrypt('4711', pair.publicJwk, AT_PIN));
      expect(bank.iat).toBe(Math.floor((NOW_MS + offset) / 1000));
      const idp = secretHeader(await service.encrypt('4711', pair.publicJwk, { audience: '/idp/token' }));
      expect(idp.iat).toBe(Math.floor(NOW_MS / 1000));
      const elsewhere = secretHeader(await service.encrypt('4711', pair.publicJwk, { audience: 'https://unconfigured.example/x' }));
      expect(elsewhere.iat).toBe(Math.floor(NOW_MS / 1000));
    });

    it('attack: editing aud (another endpoint), iat (younger) or jti (unseen) in a captured JWE breaks decryption', async () => {
      const jwe = await setUp().encrypt('4711', pair.publicJwk, AT_PIN);
      const header = secretHeader(jwe);
      const edits = [
        { ...header, aud: 'https://bank.example/api/transfer' },
        { ...header, iat: header.iat + 600 },
        { ...header, jti: 'AAAAAAAAAAAAAAAAAAAAAA' },
        { alg: header.alg, enc: header.enc, kid: header.kid, epk: header.epk },
      ];
      for (const edited of edits) {
        await expectAsync(compactDecrypt(withHeader(jwe, edited), pair.privateKey, ALLOWED)).withContext(JSON.stringify(edited)).toBeRejected();
      }
      // The same header, re-encoded, still decrypts: the failures come from the edits.
      expect(await decryptToText(withHeader(jwe, header), pair)).toBe('4711');
    });

    it('a clock that gives no time → encryption_failed, no JWE without iat', async () => {
      TestBed.overrideProvider(POP_CLOCK, { useValue: () => Number.NaN });
      expect(await rejectionCode(setUp().encrypt('4711', pair.publicJwk, AT_PIN))).toBe('encryption_failed');
    });
  });

  describe('audiences it refuses (no JWE without an endpoint)', () => {
    let jwk: JWK;

    beforeAll(async () => {
      jwk = (await serverKeyPair('P-256')).publicJwk;
    });

    it('no options, no audience, or a non-string audience (untyped callers) → audience_invalid', async () => {
      const service = setUp();
      const encrypt = service.encrypt.bind(service) as (...args: unknown[]) => Promise<string>;
      expect(await rejectionCode(encrypt('4711', jwk))).toBe('audience_invalid');
      expect(await rejectionCode(encrypt('4711', jwk, {}))).toBe('audience_invalid');
      expect(await rejectionCode(encrypt('4711', jwk, null))).toBe('audience_invalid');
      for (const audience of [null, 42, '', ['https://bank.example'], { href: 'https://bank.example' }]) {
        expect(await rejectionCode(encrypt('4711', jwk, { audience }))).withContext(JSON.stringify(audience)).toBe('audience_invalid');
      }
    });

    it('a URL that is not http(s), does not parse, or is over 1024 characters → audience_invalid', async () => {
      const service = setUp();
      const hostile = [
        'javascript:alert(1)',
        'data:text/plain,4711',
        'ftp://bank.example/pin',
        'file:///etc/passwd',
        'https://[bad',
        `https://bank.example/${'a'.repeat(1024)}`,
      ];
      for (const audience of hostile) {
        expect(await rejectionCode(service.encrypt('4711', jwk, { audience }))).withContext(audience.slice(0, 40)).toBe('audience_invalid');
      }
    });

    it('a relative URL where no page base URL is known (server-side rendering) → audience_invalid', async () => {
      const service = setUp(undefined, null);
      const error = (await service.encrypt('4711', jwk, { audience: '/api/pin' }).catch((e: unknown) => e)) as PopError;
      expect(error.code).toBe('audience_invalid');
      expect(error.message).toContain('page base URL');
      // An absolute one needs no page.
      await expectAsync(service.encrypt('4711', jwk, AT_PIN)).toBeResolved();
    });
  });

  describe('secrets it refuses', () => {
    let jwk: JWK;

    beforeAll(async () => {
      jwk = (await serverKeyPair('P-256')).publicJwk;
    });

    it('an empty secret → secret_invalid', async () => {
      expect(await rejectionCode(setUp().encrypt('', jwk, AT_PIN))).toBe('secret_invalid');
    });

    it('a non-string secret (from untyped callers) → secret_invalid', async () => {
      const service = setUp();
      expect(await rejectionCode(service.encrypt(null as unknown as string, jwk, AT_PIN))).toBe('secret_invalid');
      expect(await rejectionCode(service.encrypt(1234 as unknown as string, jwk, AT_PIN))).toBe('secret_invalid');
    });

    it('an unpaired surrogate (UTF-8 would silently change it) → secret_invalid', async () => {
      expect(await rejectionCode(setUp().encrypt('ab\uD83Dcd', jwk, AT_PIN))).toBe('secret_invalid');
    });

    it('a 1 MB secret → secret_too_large (default limit 4096 UTF-8 bytes)', async () => {
      expect(await rejectionCode(setUp().encrypt('x'.repeat(1024 * 1024), jwk, AT_PIN))).toBe('secret_too_large');
    });

    it('counts UTF-8 bytes, not characters: 4096 ASCII bytes pass, 1366 × "€" (4098 bytes) do not', async () => {
      const service = setUp();
      await expectAsync(service.encrypt('x'.repeat(4096), jwk, AT_PIN)).toBeResolved();
      expect(await rejectionCode(service.encrypt('€'.repeat(1366), jwk, AT_PIN))).toBe('secret_too_large');
      expect(await rejectionCode(service.encrypt('x'.repeat(4097), jwk, AT_PIN))).toBe('secret_too_large');
    });

    it('honours credentials.maxSecretBytes from the configuration', async () => {
      const service = setUp({ resourceServers: [], credentials: { maxSecretBytes: 8 } });
      await expectAsync(service.encrypt('12345678', jwk, AT_PIN)).toBeResolved();
      expect(await rejectionCode(service.encrypt('123456789', jwk, AT_PIN))).toBe('secret_too_large');
    });

    it('a nonsensical maxSecretBytes → config_invalid, not an unlimited secret', async () => {
      const service = setUp({ resourceServers: [], credentials: { maxSecretBytes: Number.NaN } });
      expect(await rejectionCode(service.encrypt('1234', jwk, AT_PIN))).toBe('config_invalid');
    });
  });

  describe('keys it refuses', () => {
    it('a sig-only key ("use":"sig") → key_use_mismatch', async () => {
      const jwk = { ...(await serverKeyPair('P-256')).publicJwk, use: 'sig' };
      expect(await rejectionCode(setUp().encrypt('1234', jwk, AT_PIN))).toBe('key_use_mismatch');
    });

    it('a key whose alg is a signature algorithm (ES256) → key_use_mismatch', async () => {
      const jwk: JWK = { ...(await serverKeyPair('P-256')).publicJwk };
      delete jwk.use;
      expect(await rejectionCode(setUp().encrypt('1234', { ...jwk, alg: 'ES256' }, AT_PIN))).toBe('key_use_mismatch');
    });

    it('RSA1_5 / dir / PBES2 named in the key → key_unsupported', async () => {
      const service = setUp();
      const rsa = (await serverKeyPair('RSA-2048')).publicJwk;
      // toEncryptionKey reads "RS…" as a signature algorithm; refused either way.
      expect(['key_unsupported', 'key_use_mismatch']).toContain(await rejectionCode(service.encrypt('1234', { ...rsa, alg: 'RSA1_5' }, AT_PIN)));
      expect(await rejectionCode(service.encrypt('1234', { ...rsa, alg: 'dir' }, AT_PIN))).toBe('key_unsupported');
      expect(await rejectionCode(service.encrypt('1234', { ...rsa, alg: 'PBES2-HS256+A128KW' }, AT_PIN))).toBe('key_unsupported');
    });

    it('a symmetric key → key_symmetric', async () => {
      const jwk: JWK = { kty: 'oct', k: 'AyM32w-8h2lSzFBWSSS9JoKXR4pN6D4s_e0JTf8Cghw', alg: 'A256KW' };
      expect(await rejectionCode(setUp().encrypt('1234', jwk, AT_PIN))).toBe('key_symmetric');
    });

    it('a private JWK → key_private (the server leaked its key: refuse to use it)', async () => {
      const { privateKey } = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
      expect(await rejectionCode(setUp().encrypt('1234', await exportJWK(privateKey), AT_PIN))).toBe('key_private');
    });

    it('RSA under 2048 bits → key_too_weak', async () => {
      // jose refuses to generate such a key; WebCrypto does not.
      const { publicKey } = await crypto.subtle.generateKey(
        { name: 'RSA-OAEP', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        true,
        ['encrypt', 'decrypt'],
      );
      expect(await rejectionCode(setUp().encrypt('1234', await exportJWK(publicKey), AT_PIN))).toBe('key_too_weak');
    });

    it('not a JWK at all → key_invalid', async () => {
      expect(await rejectionCode(setUp().encrypt('1234', 'not a key' as unknown as JWK, AT_PIN))).toBe('key_invalid');
    });

    it('a hand-built EncryptionKey with a forbidden algorithm → key_unsupported', async () => {
      const key = await toEncryptionKey((await serverKeyPair('RSA-2048')).publicJwk);
      const forged = { ...key, alg: 'RSA1_5' } as unknown as EncryptionKey;
      expect(await rejectionCode(setUp().encrypt('1234', forged, AT_PIN))).toBe('key_unsupported');
    });

    it('a hand-built EncryptionKey holding a private CryptoKey → key_private', async () => {
      const pair = await serverKeyPair('P-256');
      const forged: EncryptionKey = { key: pair.privateKey, jwk: pair.publicJwk, alg: 'ECDH-ES+A256KW' };
      expect(await rejectionCode(setUp().encrypt('1234', forged, AT_PIN))).toBe('key_private');
    });

    it('a hand-built EncryptionKey whose CryptoKey does not fit its alg → encryption_failed', async () => {
      const ec = await toEncryptionKey((await serverKeyPair('P-256')).publicJwk);
      const forged: EncryptionKey = { ...ec, alg: 'RSA-OAEP-256' };
      expect(await rejectionCode(setUp().encrypt('1234', forged, AT_PIN))).toBe('encryption_failed');
    });

    it('a hand-built EncryptionKey with an oversized kid → key_invalid', async () => {
      const key = await toEncryptionKey((await serverKeyPair('P-256')).publicJwk);
      expect(await rejectionCode(setUp().encrypt('1234', { ...key, kid: 'k'.repeat(129) }, AT_PIN))).toBe('key_invalid');
    });
  });

  describe('encryptFor', () => {
    it('asks KeyResolverService for the URL\'s key, then encrypts to it', async () => {
      const service = setUp();
      const pair = await serverKeyPair('P-521', 'bank-2026');
      resolve.and.resolveTo({ ...(await toEncryptionKey(pair.publicJwk)), source: 'cnf.jwk', baseUrl: '/api' });

      const jwe = await service.encryptFor('/api/pin', '4711', 'header.payload.signature');

      expect(resolve).toHaveBeenCalledOnceWith({ url: '/api/pin', oAuthToken: 'header.payload.signature' });
      const { text, header } = await decryptWithHeader(jwe, pair);
      expect(text).toBe('4711');
      expect(header['kid']).toBe('bank-2026');
      expect(header['aud']).toBe('https://app.example/api/pin');
      expect(header['iat']).toBe(Math.floor(NOW_MS / 1000));
      expect(header['jti']).toMatch(SECRET_JTI_PATTERN);
    });

    it('binds each JWE to its own URL: the same secret for /api/pin and /api/transfer gets two audiences', async () => {
      const service = setUp();
      const pair = await serverKeyPair('X25519');
      resolve.and.resolveTo({ ...(await toEncryptionKey(pair.publicJwk)), source: 'jwks', baseUrl: 'https://bank.example/api' });
      const pin = await decryptWithHeader(await service.encryptFor('https://bank.example/api/pin', '4711'), pair);
      const transfer = await decryptWithHeader(await service.encryptFor('https://bank.example/api/transfer?x=1', '4711'), pair);
      expect(pin.header['aud']).toBe('https://bank.example/api/pin');
      expect(transfer.header['aud']).toBe('https://bank.example/api/transfer');
      expect(pin.header['jti']).not.toBe(transfer.header['jti']);
    });

    it('rejects a URL that cannot be an audience before asking for a key', async () => {
      expect(await rejectionCode(setUp().encryptFor('javascript:alert(1)', '4711'))).toBe('audience_invalid');
      expect(resolve).not.toHaveBeenCalled();
    });

    it('rejects a relative URL without a page base URL before asking for a key', async () => {
      expect(await rejectionCode(setUp(undefined, null).encryptFor('/api/pin', '4711'))).toBe('audience_invalid');
      expect(resolve).not.toHaveBeenCalled();
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
