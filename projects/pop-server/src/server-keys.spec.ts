import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose';
import { encryptTo } from '../test/client.ts';
import { decryptCredential } from './decrypt-credential.ts';
import { PopServerConfigError } from './errors.ts';
import { popKeysResponse } from './pop-keys.ts';
import { createServerKeys, generateServerKeys, loadServerKeys } from './server-keys.ts';

const PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

describe('server keys', () => {
  it('generates a key whose published part is public only, with kid, use enc and alg', async () => {
    const keys = await generateServerKeys();
    const [published] = keys.jwks().keys;
    assert.ok(published);
    assert.equal(published.use, 'enc');
    assert.equal(published.alg, 'ECDH-ES+A256KW');
    assert.match(published.kid ?? '', /^[A-Za-z0-9_-]{43}$/);
    for (const m of PRIVATE) assert.equal((published as Record<string, unknown>)[m], undefined, m);
    assert.equal(keys.keys[0]?.privateKey.extractable, false);
  });

  it('loads a private JWK and a PKCS#8 PEM, newest first, and decrypts with each', async () => {
    const ec = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
    const rsa = await generateKeyPair('RSA-OAEP-256', { extractable: true });
    const keys = await loadServerKeys([
      { jwk: { ...(await exportJWK(ec.privateKey)), kid: 'ec-2026' } },
      { pem: await exportPKCS8(rsa.privateKey), alg: 'RSA-OAEP-256', kid: 'rsa-2025' },
    ]);
    const published = keys.jwks().keys;
    assert.deepEqual(published.map((k) => [k.kid, k.alg, k.use]), [['ec-2026', 'ECDH-ES+A256KW', 'enc'], ['rsa-2025', 'RSA-OAEP-256', 'enc']]);
    for (const k of published) for (const m of PRIVATE) assert.equal((k as Record<string, unknown>)[m], undefined);
    assert.equal(await decryptCredential(await encryptTo(published[1] as JWK, 'via rsa'), keys, { legacyUnbound: true }), 'via rsa');
    assert.equal(await decryptCredential(await encryptTo(published[0] as JWK, 'via ec'), keys, { legacyUnbound: true }), 'via ec');
  });

  it('refuses public-only keys, duplicate kids, signature algorithms, unsafe kids and RSA keys under 2048 or over 4096 bits', async () => {
    const ec = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
    const priv = await exportJWK(ec.privateKey);
    await assert.rejects(loadServerKeys([{ jwk: await exportJWK(ec.publicKey) }]), /private part/);
    await assert.rejects(loadServerKeys([{ jwk: { ...priv, kid: 'a' } }, { jwk: { ...priv, kid: 'a' } }]), /duplicate/);
    await assert.rejects(loadServerKeys([{ jwk: { ...priv, alg: 'ES256' } }]), /not one of/);
    await assert.rejects(loadServerKeys([{ jwk: { ...priv, kid: 'has space' } }]), /kid/);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' }) as JWK;
    await assert.rejects(loadServerKeys([{ jwk: small }]), /2048 to 4096 bits, not 1024/);
    const big = generateKeyPairSync('rsa', { modulusLength: 4104 }).privateKey.export({ format: 'jwk' }) as JWK;
    await assert.rejects(loadServerKeys([{ jwk: big }]), /not 4104/);
    assert.throws(() => createServerKeys([]), PopServerConfigError);
    await assert.rejects(loadServerKeys([]), PopServerConfigError);
  });

  it('refuses an RSA key whose public exponent is not 65537 (e = 1 would publish the plaintext), from JWK and PEM', async () => {
    for (const publicExponent of [3, 17]) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent });
      await assert.rejects(loadServerKeys([{ jwk: privateKey.export({ format: 'jwk' }) as JWK }]), /exponent must be 65537/);
      await assert.rejects(loadServerKeys([{ pem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, alg: 'RSA-OAEP-256' }]), /exponent must be 65537/);
    }
    // A hand-made e = 1 JWK (no platform generates one) is refused before WebCrypto sees it.
    const ok = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as JWK;
    await assert.rejects(loadServerKeys([{ jwk: { ...ok, e: 'AQ' } }]), /exponent must be 65537/);
    assert.equal((await loadServerKeys([{ jwk: ok }])).keys.length, 1);
  });

  it('lists every bad key in one configuration error', async () => {
    const ec = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
    const priv = await exportJWK(ec.privateKey);
    await assert.rejects(loadServerKeys([{ jwk: { ...priv, kid: 'ok' } }, { jwk: await exportJWK(ec.publicKey) }, { jwk: { ...priv, alg: 'RS256' } }]), (e: unknown) => {
      assert.ok(e instanceof PopServerConfigError);
      assert.equal(e.code, 'config_invalid');
      assert.deepEqual(e.problems.map((p) => p.slice(0, 8)), ['keys[1]:', 'keys[2]:']);
      return true;
    });
  });

  it('serves pop-keys.json with Cache-Control', async () => {
    const keys = await generateServerKeys({ kid: 'k1' });
    const response = popKeysResponse(keys, { maxAgeSeconds: 60 });
    assert.equal(response.headers['Cache-Control'], 'public, max-age=60');
    assert.equal(response.headers['Content-Type'], 'application/json');
    assert.deepEqual(JSON.parse(response.body), keys.jwks());
  });
});
