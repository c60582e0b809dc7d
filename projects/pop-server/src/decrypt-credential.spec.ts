import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { base64url, CompactEncrypt, generateSecret, importJWK, type JWK } from 'jose';
import { encryptTo, secretJwe, withHeader } from '../test/client.ts';
import { decryptCredential, type DecryptCredentialOptions } from './decrypt-credential.ts';
import { isVerificationError, PopServerConfigError, type VerificationReason } from './errors.ts';
import { MemoryStore } from './memory-store.ts';
import { createServerKeys, generateServerKeys } from './server-keys.ts';
import type { PopStore } from './store.ts';

const PIN_URL = 'https://bank.test/api/pin';
const keys = await generateServerKeys();
const jwk = keys.jwks().keys[0] as JWK;

function headerOf(jwe: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(base64url.decode(jwe.split('.')[0] as string))) as Record<string, unknown>;
}

describe('decryptCredential: a fresh, single-use secret for one endpoint', () => {
  let store: MemoryStore;
  let now: number;
  let options: DecryptCredentialOptions;

  async function refuses(value: unknown, reason: VerificationReason, k = keys, opts: DecryptCredentialOptions = options): Promise<void> {
    await assert.rejects(decryptCredential(value, k, opts), (e: unknown) => {
      assert.ok(isVerificationError(e, 'invalid_request'), String(e));
      assert.equal(e.status, 400);
      assert.equal(e.reason, reason, e.description);
      return true;
    });
  }

  beforeEach(() => {
    now = Date.now();
    store = new MemoryStore({ now: () => now });
    options = { audience: PIN_URL, replayStore: store, now: () => now };
  });

  it('decrypts the UTF-8 secret a client encrypted to the published key, with iat, jti and aud', async () => {
    assert.equal(await decryptCredential(await secretJwe(jwk, 'wönderland 🔑', PIN_URL), keys, options), 'wönderland 🔑');
  });

  it('refuses the same JWE a second time: a captured login or PIN body cannot be sent again', async () => {
    const jwe = await secretJwe(jwk, '4711', PIN_URL);
    assert.equal(await decryptCredential(jwe, keys, options), '4711');
    await refuses(jwe, 'secret_replayed');
  });

  it('refuses a JWE made for another endpoint, and compares aud as origin and path', async () => {
    await refuses(await secretJwe(jwk, '4711', 'https://bank.test/api/transfer'), 'secret_audience_mismatch');
    await refuses(await secretJwe(jwk, '4711', 'https://evil.test/api/pin'), 'secret_audience_mismatch');
    await refuses(await secretJwe(jwk, '4711', 'http://bank.test/api/pin'), 'secret_audience_mismatch');
    // The endpoint named with a query or another normal form is the same endpoint.
    const withQuery = { ...options, audience: `${PIN_URL}?step=2` };
    assert.equal(await decryptCredential(await secretJwe(jwk, '1', PIN_URL), keys, withQuery), '1');
    assert.equal(await decryptCredential(await secretJwe(jwk, '2', 'HTTPS://BANK.test:443/api/x/../pin'), keys, options), '2');
  });

  it('refuses a JWE older than maxAgeSeconds (+ skew), and accepts it just before', async () => {
    const iat = Math.floor(now / 1000) - 600;
    assert.equal(await decryptCredential(await secretJwe(jwk, 'ok', PIN_URL, { iat }), keys, options), 'ok');
    await refuses(await secretJwe(jwk, 'old', PIN_URL, { iat: iat - 31 }), 'secret_expired');
    await refuses(await secretJwe(jwk, 'old', PIN_URL, { iat: Math.floor(now / 1000) - 61 }), 'secret_expired', keys, { ...options, maxAgeSeconds: 30 });
  });

  it('refuses a JWE from the future beyond the skew', async () => {
    assert.equal(await decryptCredential(await secretJwe(jwk, 'ok', PIN_URL, { iat: Math.floor(now / 1000) + 29 }), keys, options), 'ok');
    await refuses(await secretJwe(jwk, 'x', PIN_URL, { iat: Math.floor(now / 1000) + 31 }), 'secret_from_future');
  });

  it('refuses a JWE without iat, jti or aud, or with values of the wrong kind', async () => {
    for (const header of [{ iat: undefined }, { jti: undefined }, { aud: undefined }, { iat: '1700000000' }, { iat: 1.5 }, { iat: -1 }, { jti: 'short' }, { jti: 'x'.repeat(23) }, { jti: 7 }, { aud: ['https://bank.test/api/pin'] }]) {
      await refuses(await secretJwe(jwk, 'x', PIN_URL, header), 'secret_parameter_missing');
    }
  });

  it('keeps a jti only until the JWE could no longer be accepted', async () => {
    await decryptCredential(await secretJwe(jwk, 'x', PIN_URL), keys, options);
    assert.equal(store.size, 1);
    now += (600 + 30 + 1) * 1000;
    await decryptCredential(await secretJwe(jwk, 'y', PIN_URL, { iat: Math.floor(now / 1000) }), keys, options);
    assert.equal(store.size, 1, 'the first jti expired');
  });

  it('writes nothing for a JWE that fails any check or does not decrypt', async () => {
    const good = await secretJwe(jwk, 'x', PIN_URL);
    const parts = good.split('.');
    parts[3] = base64url.encode(base64url.decode(parts[3] as string).map((b) => b ^ 1));
    await refuses(parts.join('.'), 'secret_undecryptable');
    // The same header (iat, jti, aud) re-attached to a ciphertext for another key: the tag fails.
    const other = await generateServerKeys({ kid: jwk.kid as string });
    await refuses(await secretJwe(other.jwks().keys[0] as JWK, 'x', PIN_URL, { jti: headerOf(good)['jti'] }), 'secret_undecryptable');
    await refuses(await secretJwe(jwk, 'x', 'https://bank.test/other'), 'secret_audience_mismatch');
    assert.equal(store.size, 0);
    assert.equal(await decryptCredential(good, keys, options), 'x');
  });

  it('authenticates the header: a captured JWE re-labelled for another endpoint does not decrypt', async () => {
    const jwe = await secretJwe(jwk, '4711', PIN_URL);
    const relabelled = withHeader(jwe, { ...headerOf(jwe), aud: 'https://bank.test/api/transfer' });
    await refuses(relabelled, 'secret_undecryptable', keys, { ...options, audience: 'https://bank.test/api/transfer' });
    const refreshed = withHeader(jwe, { ...headerOf(jwe), iat: Math.floor(now / 1000) + 5 });
    await refuses(refreshed, 'secret_undecryptable');
  });

  it('fails closed (503) when the replay store cannot answer', async () => {
    const broken: PopStore = { setIfAbsent: () => Promise.reject(new Error('down')), get: () => Promise.reject(new Error('down')) };
    await assert.rejects(decryptCredential(await secretJwe(jwk, 'x', PIN_URL), keys, { ...options, replayStore: broken }), (e: unknown) => isVerificationError(e, 'temporarily_unavailable') && e.status === 503);
  });

  it('decrypts with the key the JWE names when several keys are loaded (rotation), and RSA-OAEP-256', async () => {
    const older = await generateServerKeys({ kid: 'older' });
    const newer = await generateServerKeys({ kid: 'newer' });
    const both = createServerKeys([...newer.keys, ...older.keys]);
    assert.equal(await decryptCredential(await secretJwe(older.jwks().keys[0] as JWK, '1234', PIN_URL), both, options), '1234');
    assert.equal(await decryptCredential(await secretJwe(newer.jwks().keys[0] as JWK, '5678', PIN_URL), both, options), '5678');
    const rsa = await generateServerKeys({ alg: 'RSA-OAEP-256' });
    assert.equal(await decryptCredential(await secretJwe(rsa.jwks().keys[0] as JWK, 'pin', PIN_URL), rsa, options), 'pin');
  });

  it('refuses a JWE with an unknown kid, and one without kid when several keys could apply', async () => {
    const jwe = await secretJwe(jwk, 'x', PIN_URL);
    await refuses(withHeader(jwe, { ...headerOf(jwe), kid: 'unknown' }), 'secret_key_unknown');
    const two = createServerKeys([...keys.keys, ...(await generateServerKeys({ kid: 'second' })).keys]);
    const noKid: JWK = { ...jwk };
    delete noKid.kid;
    await refuses(await secretJwe(noKid, 'x', PIN_URL), 'secret_key_unknown', two);
    assert.equal(await decryptCredential(await secretJwe(noKid, 'single', PIN_URL), keys, options), 'single');
  });

  it('refuses zip, crit, PBES2 with a huge p2c, RSA1_5, dir and other content encryption before decrypting', async () => {
    const jwe = await secretJwe(jwk, 'x', PIN_URL);
    const h = headerOf(jwe);
    await refuses(withHeader(jwe, { ...h, zip: 'DEF' }), 'secret_invalid');
    await refuses(withHeader(jwe, { ...h, crit: ['b64'] }), 'secret_invalid');
    await refuses(withHeader(jwe, { ...h, alg: 'PBES2-HS512+A256KW', p2c: 2_147_483_647, p2s: 'c2FsdHNhbHRzYWx0c2FsdA' }), 'secret_invalid');
    await refuses(withHeader(jwe, { ...h, alg: 'RSA1_5' }), 'secret_invalid');
    await refuses(withHeader(jwe, { ...h, alg: 'dir' }), 'secret_invalid');
    await refuses(withHeader(jwe, { ...h, enc: 'A128GCM' }), 'secret_invalid');
    const secret = await generateSecret('A256GCM');
    const dir = await new CompactEncrypt(new TextEncoder().encode('x')).setProtectedHeader({ ...h, alg: 'dir', enc: 'A256GCM' }).encrypt(secret);
    await refuses(dir, 'secret_invalid');
  });

  it('refuses a 1 MB value before parsing it, non-strings and non-compact shapes', async () => {
    const jwe = await secretJwe(jwk, 'secret', PIN_URL);
    await refuses('a'.repeat(1024 * 1024), 'secret_too_large');
    for (const bad of [42, undefined, null, { jwe }]) await refuses(bad, 'secret_invalid');
    for (const bad of [jwe.split('.').slice(0, 4).join('.'), `${jwe}.x`, jwe.replace(/\./, '.%'), '4711']) await refuses(bad, 'secret_invalid');
  });

  it('refuses a plaintext that is not UTF-8', async () => {
    const jwe = await new CompactEncrypt(new Uint8Array([0xff, 0xfe, 0xfd]))
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: jwk.kid as string, iat: Math.floor(now / 1000), jti: 'A'.repeat(22), aud: PIN_URL })
      .encrypt(await importJWK(jwk, 'ECDH-ES+A256KW'));
    await refuses(jwe, 'secret_invalid');
  });
});

describe('decryptCredential: options', () => {
  it('needs an audience and a replay store, or the explicit legacy opt-out, and says what is wrong', async () => {
    const jwe = await secretJwe(jwk, 'x', PIN_URL);
    const bad: unknown[] = [
      undefined,
      {},
      { audience: PIN_URL },
      { replayStore: new MemoryStore() },
      { audience: '/api/pin', replayStore: new MemoryStore() },
      { audience: PIN_URL, replayStore: {} },
      { audience: PIN_URL, replayStore: new MemoryStore(), maxAgeSeconds: Number.NaN },
      { audience: PIN_URL, replayStore: new MemoryStore(), maxAgeSeconds: 0 },
      { audience: PIN_URL, replayStore: new MemoryStore(), skewSeconds: -1 },
      { audience: PIN_URL, replayStore: new MemoryStore(), audiences: [PIN_URL] },
      { legacyUnbound: 'yes' },
    ];
    for (const options of bad) {
      await assert.rejects(decryptCredential(jwe, keys, options as DecryptCredentialOptions), PopServerConfigError, JSON.stringify(options));
    }
  });

  it('with { legacyUnbound: true } decrypts what senders without iat, jti and aud send — replayable, documented as such', async () => {
    const legacy = await encryptTo(jwk, 'old client');
    assert.equal(await decryptCredential(legacy, keys, { legacyUnbound: true }), 'old client');
    assert.equal(await decryptCredential(legacy, keys, { legacyUnbound: true }), 'old client');
    // The default refuses it.
    await assert.rejects(decryptCredential(legacy, keys, { audience: PIN_URL, replayStore: new MemoryStore() }), (e: unknown) => isVerificationError(e) && e.reason === 'secret_parameter_missing');
  });
});
