import { MAX_HMAC_KEY_JWE_LENGTH } from '../../protocol';
import { HmacKeyRecord, isUsableRecord } from './hmac-key-record';

const NOW = 1_800_000_000_000;
const JWE = 'eyJhbGciOiJFQ0RILUVTK0EyNTZLVyJ9.a.b.c.d';

async function hmacKey(options: { extractable?: boolean; hash?: string; usages?: KeyUsage[] } = {}): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'HMAC', hash: options.hash ?? 'SHA-256', length: 256 }, options.extractable ?? false, options.usages ?? ['sign']);
}

describe('isUsableRecord (records read back from storage are input)', () => {
  let record: HmacKeyRecord;

  beforeEach(async () => {
    record = { signingKey: await hmacKey(), kid: 'Zm9vYmFy', hmacKeyJwe: JWE, registered: false, expiresAt: NOW + 1 };
  });

  it('accepts a record the library writes, with or without extra id members', () => {
    expect(isUsableRecord(record, NOW)).toBeTrue();
    expect(isUsableRecord({ ...record, registered: true, server: 'https://bank.example/api', tokenHash: 'x' }, NOW)).toBeTrue();
  });

  it('refuses a planted extractable key (other script would know its secret)', async () => {
    expect(isUsableRecord({ ...record, signingKey: await hmacKey({ extractable: true }) }, NOW)).toBeFalse();
  });

  it('refuses keys of another algorithm, hash or use', async () => {
    const aes = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    const ec = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    for (const signingKey of [aes, ec.privateKey, ec.publicKey, await hmacKey({ hash: 'SHA-384' }), await hmacKey({ usages: ['verify'] })]) {
      expect(isUsableRecord({ ...record, signingKey }, NOW)).withContext(JSON.stringify(signingKey.algorithm)).toBeFalse();
    }
    expect(isUsableRecord({ ...record, signingKey: { type: 'secret', extractable: false, algorithm: { name: 'HMAC', hash: { name: 'SHA-256' } }, usages: ['sign'] } }, NOW)).toBeFalse();
  });

  it('refuses bad kids, JWEs, flags and expiry times', () => {
    const bad: Partial<Record<keyof HmacKeyRecord, unknown>>[] = [
      { kid: '' },
      { kid: 'a/b' },
      { kid: 'k'.repeat(129) },
      { kid: 7 },
      { hmacKeyJwe: 'a.b.c' },
      { hmacKeyJwe: `${JWE}.e` },
      { hmacKeyJwe: `${'x'.repeat(MAX_HMAC_KEY_JWE_LENGTH)}.a.b.c.d` },
      { hmacKeyJwe: null },
      { registered: 'true' },
      { expiresAt: NOW },
      { expiresAt: NOW - 1 },
      { expiresAt: Number.NaN },
      { expiresAt: String(NOW + 1000) },
    ];
    for (const change of bad) {
      expect(isUsableRecord({ ...record, ...change }, NOW)).withContext(JSON.stringify(change)).toBeFalse();
    }
  });

  it('refuses what is not a record at all', () => {
    for (const value of [undefined, null, 0, 'record', [], {}]) {
      expect(isUsableRecord(value, NOW)).withContext(String(value)).toBeFalse();
    }
  });
});
