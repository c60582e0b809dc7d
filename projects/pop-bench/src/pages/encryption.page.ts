import { HttpBackend, provideHttpClient } from '@angular/common/http';
import { EnvironmentInjector } from '@angular/core';
import { base64url, CompactEncrypt } from 'jose';
import { CredentialEncryptionService, providePop, toEncryptionKey } from 'pop-lib';
import { SERVER_KEY_TYPES, serverKeyPair, type ServerKeyType } from '../../../pop-lib/src/lib/testing/server-key-pairs';
import type { BenchPage } from '../bench/bench-page';
import { measure, report } from '../bench/measure';
import { notFound, StubBackend } from '../bench/stub-backend';

const SECRET = 'pin-4711';
const AUDIENCE = 'https://bank.example/api/pin';
const EC_BITS: Partial<Record<ServerKeyType, number>> = { 'P-256': 256, 'P-384': 384, 'P-521': 528, X25519: 256 };

/** `CredentialEncryptionService.encrypt` (8-character secret) for every server key type, next to raw WebCrypto and bare jose. */
export async function encryptionPage(): Promise<BenchPage> {
  return {
    providers: [
      providePop({ resourceServers: [{ baseUrl: 'https://bank.example/api' }] }),
      provideHttpClient(),
      // Encryption to a given key never fetches anything.
      { provide: HttpBackend, useValue: new StubBackend(notFound) },
    ],
    run: (injector) => run(injector),
  };
}

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

/** What a secret's header adds (docs/protocol.md section 2), made as cheaply as the library can. */
function secretHeader(): { iat: number; jti: string; aud: string } {
  return { iat: Math.floor(Date.now() / 1000), jti: base64url.encode(crypto.getRandomValues(new Uint8Array(16))), aud: new URL(AUDIENCE).href };
}

async function run(injector: EnvironmentInjector): Promise<void> {
  const service = injector.get(CredentialEncryptionService);
  for (const type of SERVER_KEY_TYPES) {
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
        new CompactEncrypt(plaintext).setProtectedHeader({ alg: key.alg, enc: 'A256GCM', kid: key.kid, ...secretHeader() }).encrypt(key.key),
      ),
      await measure('encrypt(secret, EncryptionKey, { audience })', () => service.encrypt(SECRET, key, { audience: AUDIENCE })),
      await measure('encrypt(secret, JWK, { audience }): checks + import each call', () => service.encrypt(SECRET, pair.publicJwk, { audience: AUDIENCE })),
    ];
    report(`JWE encryption, ${type} server key`, results, { alg: key.alg, secretChars: SECRET.length });
  }
}
