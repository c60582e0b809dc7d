import { calculateJwkThumbprint, exportPKCS8, exportSPKI, generateKeyPair, importJWK } from 'jose';
import { toEncryptionKey } from 'pop-lib';
import { codeOf } from '../../src/lib/testing/errors';
import { RFC7638_RSA_PUBLIC, RFC7638_THUMBPRINT } from '../../src/lib/testing/rfc-vectors';
import { JWKBuilder, keycloakToJwk, pemToJwk } from './pem-to-jwk';


async function spkiOf(alg: string, options: { crv?: string; modulusLength?: number } = {}): Promise<string> {
  const { publicKey } = await generateKeyPair(alg, { extractable: true, ...options });
  return exportSPKI(publicKey);
}

function bare(pem: string): string {
  return pem.replace(/-----(BEGIN|END) PUBLIC KEY-----|\s/g, '');
}

describe('pemToJwk (JWKBuilder.build)', () => {
  it('converts the RFC 7638 RSA key from SPKI back to the same JWK (published thumbprint)', async () => {
    const pem = await exportSPKI((await importJWK(RFC7638_RSA_PUBLIC, 'RSA-OAEP-256', { extractable: true })) as CryptoKey);
    const jwk = await JWKBuilder.build(pem);
    expect(jwk).toEqual(RFC7638_RSA_PUBLIC);
    expect(await calculateJwkThumbprint(jwk)).toBe(RFC7638_THUMBPRINT);
  });

  it('reads EC P-256, P-384, P-521 and X25519 public keys', async () => {
    for (const crv of ['P-256', 'P-384', 'P-521']) {
      const jwk = await pemToJwk(await spkiOf('ECDH-ES', { crv }));
      expect(jwk.kty).withContext(crv).toBe('EC');
      expect(jwk.crv).withContext(crv).toBe(crv);
      expect((await toEncryptionKey(jwk)).alg).toBe('ECDH-ES+A256KW');
    }
    const x25519 = await pemToJwk(await spkiOf('ECDH-ES', { crv: 'X25519' }));
    expect(x25519).toEqual(jasmine.objectContaining({ kty: 'OKP', crv: 'X25519' }));
  });

  it('reads an ECDSA key too (same SPKI), which the resolver may then encrypt to', async () => {
    const jwk = await pemToJwk(await spkiOf('ES256'));
    expect(jwk.crv).toBe('P-256');
  });

  it('tolerates surrounding whitespace and CRLF line breaks', async () => {
    const pem = await spkiOf('RSA-OAEP-256');
    const jwk = await pemToJwk(`\n  ${pem.replace(/\n/g, '\r\n')}  \n`);
    expect(jwk.kty).toBe('RSA');
  });

  it('returns public members only', async () => {
    const jwk = await pemToJwk(await spkiOf('RSA-OAEP-256'));
    expect(Object.keys(jwk).sort()).toEqual(['e', 'kty', 'n']);
  });

  it('rejects a PEM of a private key', async () => {
    const { privateKey } = await generateKeyPair('RSA-OAEP-256', { extractable: true });
    const pkcs8 = await exportPKCS8(privateKey);
    expect(await codeOf(() => pemToJwk(pkcs8))).toBe('key_private');
    expect(await codeOf(() => pemToJwk('-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----'))).toBe('key_private');
    expect(await codeOf(() => pemToJwk('-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----'))).toBe('key_private');
  });

  it('rejects garbage', async () => {
    const cases = [
      '',
      'garbage',
      '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----',
      '-----BEGIN PUBLIC KEY-----\nnot base64 !!!\n-----END PUBLIC KEY-----',
      '-----BEGIN PUBLIC KEY-----\nAAAAAAAAAAAAAAAA\n-----END PUBLIC KEY-----',
      '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----',
      '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----',
      '-----BEGIN RSA PUBLIC KEY-----\nMIIBCgKCAQEA\n-----END RSA PUBLIC KEY-----',
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      `-----BEGIN PUBLIC KEY-----\n${'A'.repeat(9000)}\n-----END PUBLIC KEY-----`,
    ];
    for (const pem of cases) {
      expect(await codeOf(() => pemToJwk(pem))).withContext(pem.slice(0, 60)).toBe('pem_invalid');
    }
    expect(await codeOf(() => pemToJwk(42 as unknown as string))).toBe('pem_invalid');
  });

  it('rejects a truncated key', async () => {
    const pem = await spkiOf('RSA-OAEP-256');
    const body = bare(pem);
    const truncated = `-----BEGIN PUBLIC KEY-----\n${body.slice(0, body.length - 40)}\n-----END PUBLIC KEY-----`;
    expect(await codeOf(() => pemToJwk(truncated))).toBe('pem_invalid');
  });

  it('rejects an Ed25519 signing key as unsupported', async () => {
    expect(await codeOf(async () => pemToJwk(await spkiOf('Ed25519')))).toBe('key_unsupported');
  });

  it('leaves the strength check to toEncryptionKey: a 1024-bit RSA PEM converts, then is refused', async () => {
    const { publicKey } = await crypto.subtle.generateKey(
      { name: 'RSA-OAEP', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['encrypt', 'decrypt'],
    );
    const jwk = await pemToJwk(await exportSPKI(publicKey));
    expect(await codeOf(() => toEncryptionKey(jwk))).toBe('key_too_weak');
  });
});

describe('keycloakToJwk', () => {
  it('reads realm-public-key (base64 DER, no armour) from an object and from JSON text', async () => {
    const pem = await spkiOf('RSA-OAEP-256');
    const expected = await pemToJwk(pem);
    const adapter = { realm: 'demo', 'auth-server-url': 'https://idp.example/', resource: 'app', 'realm-public-key': bare(pem) };
    expect(await keycloakToJwk(adapter)).toEqual(expected);
    expect(await keycloakToJwk(JSON.stringify(adapter))).toEqual(expected);
  });

  it('rejects a keycloak.json without a usable realm-public-key', async () => {
    const cases: unknown[] = [
      '{not json',
      '{}',
      '[]',
      'null',
      { realm: 'demo' },
      { 'realm-public-key': 42 },
      { 'realm-public-key': '' },
      { 'realm-public-key': 'not*base64' },
      { 'realm-public-key': '-----BEGIN PUBLIC KEY-----' },
      { 'realm-public-key': 'AAAA' },
    ];
    for (const adapter of cases) {
      expect(await codeOf(() => keycloakToJwk(adapter as never))).withContext(JSON.stringify(adapter)).toBe('pem_invalid');
    }
  });
});
