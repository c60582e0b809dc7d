/**
 * Interoperability: a secret's JWE, made by the library's own code, decrypts with jwcrypto
 * (python3-jwcrypto), a JOSE implementation independent of jose. The extra protected header
 * parameters (iat, jti, aud) are standard JWE header parameters: any receiver decrypts the
 * secret, and jwcrypto too refuses a JWE whose header was edited.
 *
 * Run: npm run test:interop (needs /usr/bin/python3 with jwcrypto: apt-get install python3-jwcrypto).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { base64url, exportJWK, type JWK } from 'jose';
import { SECRET_JTI_PATTERN } from '../src/protocol/index.ts';
import { encodeSecret } from '../src/lib/credentials/secret.ts';
import { encryptSecret, secretAudience } from '../src/lib/credentials/secret-jwe.ts';
import { toEncryptionKey } from '../src/lib/keys/encryption-key.ts';
import { SERVER_KEY_TYPES, serverKeyPair } from '../src/lib/testing/server-key-pairs.ts';

const PYTHON = process.env['POP_INTEROP_PYTHON'] ?? '/usr/bin/python3';
const DECRYPT_SCRIPT = fileURLToPath(new URL('./jwcrypto-decrypt.py', import.meta.url));
const SECRET = 'pässwörd 🔑 4711';
const ISSUED_AT_MS = Date.UTC(2026, 10, 22, 10, 0, 0, 999);

interface Decrypted {
  plaintext?: string;
  header?: Record<string, unknown>;
  error?: string;
}

/** Decrypts each JWE with its private JWK in one jwcrypto process (bounded to 60 s). */
function jwcryptoDecrypt(items: { jwk: JWK; jwe: string }[]): Decrypted[] {
  const run = spawnSync(PYTHON, [DECRYPT_SCRIPT], { input: JSON.stringify(items), encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw new Error(`could not run ${PYTHON}: ${run.error.message}`);
  if (/No module named 'jwcrypto'/.test(run.stderr)) {
    throw new Error(`${PYTHON} lacks jwcrypto: apt-get install python3-jwcrypto (or set POP_INTEROP_PYTHON)`);
  }
  assert.equal(run.status, 0, `jwcrypto script failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Decrypted[];
}

/** `jwe` with its protected header replaced: what someone editing a captured JWE sends. */
function withHeader(jwe: string, header: Record<string, unknown>): string {
  const [, ...rest] = jwe.split('.');
  return [base64url.encode(JSON.stringify(header)), ...rest].join('.');
}

test('jwcrypto decrypts the library\'s secret JWEs for every key type and reads iat, jti and aud', async () => {
  const aud = secretAudience('https://bank.example/api/./pin?session=1', undefined);
  assert.equal(aud, 'https://bank.example/api/pin');
  const cases = await Promise.all(
    SERVER_KEY_TYPES.map(async (type) => {
      const pair = await serverKeyPair(type, `kid-${type}`);
      const jwe = await encryptSecret(encodeSecret(SECRET, 4096), await toEncryptionKey(pair.publicJwk), aud, ISSUED_AT_MS);
      return { type, jwk: await exportJWK(pair.privateKey), jwe };
    }),
  );

  const results = jwcryptoDecrypt(cases.map(({ jwk, jwe }) => ({ jwk, jwe })));

  assert.equal(results.length, SERVER_KEY_TYPES.length);
  results.forEach((result, i) => {
    const type = SERVER_KEY_TYPES[i] as string;
    assert.equal(result.error, undefined, `${type}: ${result.error}`);
    assert.equal(result.plaintext, SECRET, type);
    const header = result.header ?? {};
    assert.equal(header['alg'], type.startsWith('RSA') ? 'RSA-OAEP-256' : 'ECDH-ES+A256KW', type);
    assert.equal(header['enc'], 'A256GCM', type);
    assert.equal(header['kid'], `kid-${type}`, type);
    assert.equal(header['iat'], Math.floor(ISSUED_AT_MS / 1000), type);
    assert.match(String(header['jti']), SECRET_JTI_PATTERN, type);
    assert.equal(header['aud'], aud, type);
  });
});

test('jwcrypto refuses a secret JWE whose aud, iat or jti was edited (A256GCM authenticates the header)', async () => {
  const pair = await serverKeyPair('P-256');
  const jwk = await exportJWK(pair.privateKey);
  const aud = 'https://bank.example/api/pin';
  const jwe = await encryptSecret(encodeSecret('4711', 4096), await toEncryptionKey(pair.publicJwk), aud, ISSUED_AT_MS);
  const [encodedHeader = ''] = jwe.split('.');
  const header = JSON.parse(new TextDecoder().decode(base64url.decode(encodedHeader))) as Record<string, unknown>;

  const results = jwcryptoDecrypt([
    { jwk, jwe: withHeader(jwe, header) },
    { jwk, jwe: withHeader(jwe, { ...header, aud: 'https://bank.example/api/transfer' }) },
    { jwk, jwe: withHeader(jwe, { ...header, iat: Math.floor(Date.now() / 1000) }) },
    { jwk, jwe: withHeader(jwe, { ...header, jti: 'AAAAAAAAAAAAAAAAAAAAAA' }) },
  ]);

  assert.equal(results[0]?.plaintext, '4711', 'the same header, re-encoded, still decrypts');
  for (const [i, result] of results.slice(1).entries()) {
    assert.equal(result.plaintext, undefined, `edit ${i + 1} decrypted`);
    assert.match(String(result.error), /\w/, `edit ${i + 1}: no error reported`);
  }
});
