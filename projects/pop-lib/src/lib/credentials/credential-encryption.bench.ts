import { TestBed } from '@angular/core/testing';
import { base64url, CompactEncrypt } from 'jose';
import { toEncryptionKey } from '../keys/encryption-key';
import { KeyResolverService } from '../keys/key-resolver.service';
import { measure, report } from '../testing/bench';
import { CredentialEncryptionService } from './credential-encryption.service';
import { secretAudience } from './secret-jwe';
import { SERVER_KEY_TYPES, serverKeyPair, type ServerKeyType } from '../testing/server-key-pairs';

const SECRET = 'pin-4711';
/** The secret header parameters, made the way `encryptSecret` makes them. */
const claims = () => ({
  iat: Math.floor(Date.now() / 1000),
  jti: base64url.encode(crypto.getRandomValues(new Uint8Array(16))),
  aud: secretAudience('/api/./pin?session=1', 'https://bank.example/login'),
});
const AUDIENCE = { audience: 'https://bank.example/api/pin' };
const EC_BITS: Partial<Record<ServerKeyType, number>> = { 'P-256': 256, 'P-384': 384, 'P-521': 528, X25519: 256 };

/** The WebCrypto work no JWE to this key can avoid: one ephemeral ECDH agreement, or one RSA-OAEP encryption. */
function rawWebCrypto(type: ServerKeyType, serverPublic: CryptoKey): () => Promise<unknown> {
  if (type.startsWith('RSA')) {
    const cek = crypto.getRandomValues(new Uint8Array(32));
    return () => crypto.subtle.encrypt({ name: 'RSA-OAEP' }, serverPublic, cek);
  }
  const algorithm = type === 'X25519' ? { name: 'X25519' } : { name: 'ECDH', namedCurve: type };
  return async () => {
    const ephemeral = (await crypto.subtle.generateKey(algorithm, false, ['deriveBits'])) as CryptoKeyPair;
    return crypto.subtle.deriveBits({ name: algorithm.name, public: serverPublic }, ephemeral.privateKey, EC_BITS[type] ?? 256);
  };
}

describe('bench: CredentialEncryptionService.encrypt (8-character secret)', () => {
  for (const type of SERVER_KEY_TYPES) {
    it(`${type} server key: JWE next to the raw WebCrypto cost`, async () => {
      TestBed.configureTestingModule({ providers: [{ provide: KeyResolverService, useValue: {} }] });
      const service = TestBed.inject(CredentialEncryptionService);
      const pair = await serverKeyPair(type);
      const key = await toEncryptionKey(pair.publicJwk);
      const plaintext = new TextEncoder().encode(SECRET);
      const label = type.startsWith('RSA') ? 'RSA-OAEP encrypt (32-byte CEK)' : 'ephemeral generateKey + deriveBits';
      const results = [
        await measure(`WebCrypto: ${label}`, rawWebCrypto(type, pair.publicKey)),
        await measure('jose CompactEncrypt (same key, no checks)', () =>
          new CompactEncrypt(plaintext).setProtectedHeader({ alg: key.alg, enc: 'A256GCM', kid: key.kid }).encrypt(key.key),
        ),
        await measure('jose CompactEncrypt + iat, jti, aud (no checks)', () =>
          new CompactEncrypt(plaintext)
            .setProtectedHeader({ alg: key.alg, enc: 'A256GCM', kid: key.kid, ...claims() })
            .encrypt(key.key),
        ),
        await measure('encrypt(secret, EncryptionKey)', () => service.encrypt(SECRET, key, AUDIENCE)),
        await measure('encrypt(secret, JWK): checks + import each call', () => service.encrypt(SECRET, pair.publicJwk, AUDIENCE)),
      ];
      report(`JWE encryption, ${type} server key`, results, { alg: key.alg, secretChars: SECRET.length });
      expect(results.every((r) => r.samples > 0)).toBeTrue();
    }, 60_000);
  }
});

describe('bench: the secret header parameters alone', () => {
  it('iat, jti and aud next to one jose CompactEncrypt (P-256)', async () => {
    const pair = await serverKeyPair('P-256');
    const key = await toEncryptionKey(pair.publicJwk);
    const plaintext = new TextEncoder().encode(SECRET);
    const results = [
      await measure('jose CompactEncrypt (P-256, no claims)', () =>
        new CompactEncrypt(plaintext).setProtectedHeader({ alg: key.alg, enc: 'A256GCM', kid: key.kid }).encrypt(key.key),
      ),
      await measure('iat + jti (16 random bytes, base64url) + aud (URL parse)', claims),
    ];
    report('Secret header parameters', results);
    expect(results.every((r) => r.samples > 0)).toBeTrue();
  }, 60_000);
});
