import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base64url, CompactEncrypt, generateSecret, type JWK } from 'jose';
import { encryptTo, withHeader } from '../test/client.ts';
import { decryptCredential } from './decrypt-credential.ts';
import { isVerificationError } from './errors.ts';
import { createServerKeys, generateServerKeys } from './server-keys.ts';

const keys = await generateServerKeys();
const jwk = keys.jwks().keys[0] as JWK;

async function rejects(value: unknown, description: RegExp, k = keys): Promise<void> {
  await assert.rejects(decryptCredential(value, k), (e: unknown) => {
    assert.ok(isVerificationError(e, 'invalid_request'), String(e));
    assert.equal(e.status, 400);
    assert.match(e.description, description);
    return true;
  });
}

function headerOf(jwe: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(base64url.decode(jwe.split('.')[0] as string))) as Record<string, unknown>;
}

describe('decryptCredential', () => {
  it('decrypts the UTF-8 secret a client encrypted to the published key', async () => {
    assert.equal(await decryptCredential(await encryptTo(jwk, 'wönderland 🔑'), keys), 'wönderland 🔑');
  });

  it('decrypts with the key the JWE names when several keys are loaded (rotation)', async () => {
    const older = await generateServerKeys({ kid: 'older' });
    const newer = await generateServerKeys({ kid: 'newer' });
    const both = createServerKeys([...newer.keys, ...older.keys]);
    assert.deepEqual(both.jwks().keys.map((k) => k.kid), ['newer', 'older']);
    assert.equal(await decryptCredential(await encryptTo(older.jwks().keys[0] as JWK, '1234'), both), '1234');
    assert.equal(await decryptCredential(await encryptTo(newer.jwks().keys[0] as JWK, '5678'), both), '5678');
  });

  it('decrypts RSA-OAEP-256', async () => {
    const rsa = await generateServerKeys({ alg: 'RSA-OAEP-256' });
    assert.equal(await decryptCredential(await encryptTo(rsa.jwks().keys[0] as JWK, 'pin'), rsa), 'pin');
  });

  it('rejects a JWE with an unknown kid, and one without kid when several keys could apply', async () => {
    const jwe = await encryptTo(jwk, 'x');
    await rejects(withHeader(jwe, { ...headerOf(jwe), kid: 'unknown' }), /kid names no key/);
    const two = createServerKeys([...keys.keys, ...(await generateServerKeys({ kid: 'second' })).keys]);
    const noKid: JWK = { ...jwk };
    delete noKid.kid;
    await rejects(await encryptTo(noKid, 'x'), /kid names no key/, two);
    assert.equal(await decryptCredential(await encryptTo(noKid, 'single'), keys), 'single');
  });

  it('rejects zip before decrypting', async () => {
    const jwe = await encryptTo(jwk, 'x');
    await rejects(withHeader(jwe, { ...headerOf(jwe), zip: 'DEF' }), /zip/);
  });

  it('rejects PBES2 with a huge p2c without running it', async () => {
    const jwe = await encryptTo(jwk, 'x');
    await rejects(withHeader(jwe, { alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', kid: jwk.kid, p2c: 2_147_483_647, p2s: 'c2FsdHNhbHRzYWx0c2FsdA' }), /alg must be/);
  });

  it('rejects RSA1_5, dir, and a content encryption other than A256GCM', async () => {
    const jwe = await encryptTo(jwk, 'x');
    await rejects(withHeader(jwe, { ...headerOf(jwe), alg: 'RSA1_5' }), /alg must be/);
    await rejects(withHeader(jwe, { ...headerOf(jwe), alg: 'dir' }), /alg must be/);
    const secret = await generateSecret('A256GCM');
    const dir = await new CompactEncrypt(new TextEncoder().encode('x')).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: jwk.kid }).encrypt(secret);
    await rejects(dir, /alg must be/);
    await rejects(withHeader(jwe, { ...headerOf(jwe), enc: 'A128GCM' }), /A256GCM/);
  });

  it('rejects a crit header', async () => {
    const jwe = await encryptTo(jwk, 'x');
    await rejects(withHeader(jwe, { ...headerOf(jwe), crit: ['b64'] }), /crit/);
  });

  it('rejects a tampered ciphertext, a 1 MB value, non-strings and non-compact shapes', async () => {
    const jwe = await encryptTo(jwk, 'secret');
    const parts = jwe.split('.');
    parts[3] = base64url.encode(new Uint8Array(base64url.decode(parts[3] as string)).map((b) => b ^ 1));
    await rejects(parts.join('.'), /could not be decrypted/);
    await rejects('a'.repeat(1024 * 1024), /too large/);
    await rejects(42, /string/);
    await rejects(undefined, /string/);
    await rejects(jwe.split('.').slice(0, 4).join('.'), /compact JWE/);
    await rejects(jwe + '.x', /compact JWE/);
    await rejects(jwe.replace(/\./, '.%'), /compact JWE/);
  });

  it('rejects a plaintext that is not UTF-8', async () => {
    const { importJWK } = await import('jose');
    const jwe = await new CompactEncrypt(new Uint8Array([0xff, 0xfe, 0xfd]))
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: jwk.kid as string })
      .encrypt(await importJWK(jwk, 'ECDH-ES+A256KW'));
    await rejects(jwe, /UTF-8/);
  });
});
