/**
 * Differential spec: the synchronous HS256 check (`splitCompactHs256` + `hs256Matches`, with
 * the payload decoded by jose as the verifier does) gives jose's `compactVerify` verdict on
 * every token of a corpus: valid tokens, tampered header, payload and signature, a wrong key,
 * non-canonical base64url, other algorithms, malformed strings, and seeded random mutations.
 * The one intended difference: a `crit` header, which this protocol never uses, is refused.
 */
import assert from 'node:assert/strict';
import { createHmac, createSecretKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { base64url, CompactSign, compactVerify, generateKeyPair } from 'jose';
import { hs256Matches, splitCompactHs256 } from './hs256.ts';

const key = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff);
const otherKey = new Uint8Array(32).map((_, i) => (i * 53 + 7) & 0xff);
const encoder = new TextEncoder();

/** The server's verdict, built from the verifier's own pieces. */
function ours(jws: string, secret: Uint8Array): boolean {
  const parts = splitCompactHs256(jws);
  if (typeof parts === 'string') return false;
  try {
    base64url.decode(jws.split('.')[1] ?? ''); // the verifier decodes the payload with jose (decodeJwt)
  } catch {
    return false;
  }
  return hs256Matches(parts, createSecretKey(secret));
}

async function jose(jws: string, secret: Uint8Array): Promise<boolean> {
  try {
    await compactVerify(jws, secret, { algorithms: ['HS256'] });
    return true;
  } catch {
    return false;
  }
}

/**
 * An HS256 JWS over the exact segments given, canonical or not (jose only signs canonical
 * encodings), so the corpus can hold tokens a lenient decoder might still accept.
 */
function signRaw(headerSegment: string, payloadSegment: string, secret: Uint8Array): string {
  const signature = createHmac('sha256', secret).update(`${headerSegment}.${payloadSegment}`).digest();
  return `${headerSegment}.${payloadSegment}.${base64url.encode(new Uint8Array(signature))}`;
}

const b64 = (value: unknown) => base64url.encode(typeof value === 'string' ? value : JSON.stringify(value));

/** The same bytes in another base64url spelling: low bits of the last character flipped. */
function nonCanonical(segment: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(segment.at(-1) ?? 'A');
  return segment.slice(0, -1) + alphabet[last ^ 1];
}

/** A small deterministic PRNG (mulberry32), so every run checks the same mutations. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function corpus(): Promise<{ name: string; jws: string; secret: Uint8Array }[]> {
  const header = { alg: 'HS256', typ: 'client+jwt', kid: 'AbCdEfGhIjKlMnOpQrStUv' };
  const payload = { access_token: 'a'.repeat(1000), nonce: 42, timestamp: 1_800_000_000_000, exp: 1_800_000_030, htm: 'GET', htu: 'https://bank.test/api/accounts' };
  const valid = await new CompactSign(encoder.encode(JSON.stringify(payload))).setProtectedHeader(header).sign(key);
  const [h, p, s] = valid.split('.') as [string, string, string];
  const cases: { name: string; jws: string; secret: Uint8Array }[] = [];
  const add = (name: string, jws: string, secret = key) => cases.push({ name, jws, secret });

  add('valid', valid);
  add('valid, empty payload', signRaw(h, '', key));
  add('valid, small payload', await new CompactSign(encoder.encode('{}')).setProtectedHeader({ alg: 'HS256' }).sign(key));
  add('wrong key', valid, otherKey);
  add('tampered header', `${b64({ ...header, kid: 'other' })}.${p}.${s}`);
  add('tampered payload', `${h}.${b64({ ...payload, nonce: 43 })}.${s}`);
  add('tampered signature', `${h}.${p}.${nonCanonical(s.slice(0, 10)) + s.slice(10)}`);
  add('signature of zeros', `${h}.${p}.${base64url.encode(new Uint8Array(32))}`);
  add('truncated signature', `${h}.${p}.${s.slice(0, 42)}`);
  add('signature one byte longer', `${h}.${p}.${base64url.encode(new Uint8Array([...base64url.decode(s), 0]))}`);
  add('non-canonical signature (same bytes)', `${h}.${p}.${nonCanonical(s)}`);
  add('padded signature', `${h}.${p}.${s}=`);
  add('non-canonical header, re-signed', signRaw(nonCanonical(h), p, key));
  add('non-canonical payload, re-signed', signRaw(h, nonCanonical(p), key));
  add('padded header, re-signed', signRaw(`${h}==`, p, key));
  add('whitespace in payload, re-signed', signRaw(h, `${p.slice(0, 10)} ${p.slice(10)}`, key));
  add('standard base64 (+ /) in signature', `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}`);
  for (const alg of ['HS384', 'HS512', 'none', 'RS256', 'hs256', '', 7, null]) {
    add(`alg ${JSON.stringify(alg)}, re-signed with HMAC-SHA-256`, signRaw(b64({ ...header, alg }), p, key));
  }
  add('no alg', signRaw(b64({ typ: 'client+jwt' }), p, key));
  add('HS512 token', await new CompactSign(encoder.encode('{}')).setProtectedHeader({ alg: 'HS512' }).sign(new Uint8Array(64)), new Uint8Array(64));
  const rsa = await generateKeyPair('RS256');
  add('RS256 token', await new CompactSign(encoder.encode('{}')).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey));
  add('b64 false without crit (ignored by both)', signRaw(b64({ alg: 'HS256', b64: false }), p, key));
  add('crit exp (unknown extension)', signRaw(b64({ alg: 'HS256', crit: ['exp'], exp: 1 }), p, key));
  for (const [name, jws] of [
    ['two segments', `${h}.${p}`],
    ['four segments', `${valid}.x`],
    ['five segments (JWE shape)', `${h}.${p}.${s}.a.b`],
    ['empty header', `.${p}.${s}`],
    ['empty signature', `${h}.${p}.`],
    ['header not JSON', signRaw(b64('not json'), p, key)],
    ['header a JSON array', signRaw(b64([1]), p, key)],
    ['header invalid UTF-8', signRaw(base64url.encode(new Uint8Array([0x7b, 0x22, 0x61, 0x6c, 0x67, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])), p, key)],
    ['payload not base64url, re-signed', signRaw(h, 'a!b', key)],
    ['signature not base64url', `${h}.${p}.${s.slice(0, 40)}!!!`],
    ['empty string', ''],
    ['dots only', '..'],
    ['non-ASCII payload, re-signed', signRaw(h, 'ä', key)],
  ] as const) {
    add(name, jws);
  }
  // Seeded random mutations of the valid token: one character replaced, inserted or deleted.
  const next = random(20261123);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ !';
  for (let i = 0; i < 300; i++) {
    const at = Math.floor(next() * valid.length);
    const char = alphabet[Math.floor(next() * alphabet.length)] ?? 'A';
    const kind = Math.floor(next() * 3);
    const mutated = kind === 0 ? valid.slice(0, at) + char + valid.slice(at + 1) : kind === 1 ? valid.slice(0, at) + char + valid.slice(at) : valid.slice(0, at) + valid.slice(at + 1);
    add(`mutation ${i} (${['replace', 'insert', 'delete'][kind]} at ${at})`, mutated);
  }
  return cases;
}

describe('HS256 check: the same verdict as jose compactVerify', () => {
  it('agrees on every token of the corpus', async () => {
    const cases = await corpus();
    const disagreements: string[] = [];
    let accepted = 0;
    for (const { name, jws, secret } of cases) {
      const [mine, theirs] = [ours(jws, secret), await jose(jws, secret)];
      if (mine !== theirs) disagreements.push(`${name}: ours ${mine}, jose ${theirs}`);
      if (mine) accepted++;
    }
    assert.deepEqual(disagreements, []);
    // The corpus is not trivially all-reject: valid and lenient-but-equivalent encodings pass.
    assert.ok(accepted >= 8, `only ${accepted} accepted`);
    assert.ok(cases.length > 340, `${cases.length} cases`);
  });

  it('refuses crit, which this protocol never uses, even where jose accepts the b64 extension', async () => {
    const payload = b64({ a: 1 });
    const jws = signRaw(b64({ alg: 'HS256', crit: ['b64'], b64: true }), payload, key);
    assert.equal(await jose(jws, key), true);
    assert.equal(ours(jws, key), false);
    assert.equal(splitCompactHs256(jws), 'crit');
  });
});
