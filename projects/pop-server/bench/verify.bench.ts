/**
 * Server-side cost per request, one core, sequential: verifying a ClientJWT (HS256, claims,
 * access-token binding, replay check in a MemoryStore, key already registered) next to
 * verifying an RFC 9449 DPoP proof (ES256, key embedded in the header) as a resource server
 * would. Inputs are single-use, so each row draws from a pool built before the clock starts:
 * only verification is timed. Baseline: the raw HMAC-SHA256 verify over a ClientJWT's
 * signing input, the crypto floor of the ClientJWT row.
 *
 * Run: PATH=$PWD/node_modules/.bin:$PATH node projects/pop-server/bench/verify.bench.ts
 */
import { createHash } from 'node:crypto';
import { generateKeyPair as generateDpopKeyPair, generateProof } from 'dpop';
import { EmbeddedJWK, base64url, jwtVerify } from 'jose';
import { createVerifier, generateServerKeys, isVerificationError, MemoryStore, type VerifyRequest } from '../src/index.ts';
import { toHtu } from '../src/protocol.ts';
import { clientJwt, newHmacKey, testIssuer } from '../test/client.ts';
import { measure, report, type BenchResult } from './measure.ts';

const METHOD = 'GET';
const URL_ = 'https://bank.example/api/accounts';
const SKEW_SECONDS = 30;
// Sized for each row's ~0.9 s on this kind of machine; a row that runs out reports fewer samples.
const CLIENT_JWT_POOL = 20_000;
const DPOP_POOL = 6_000;

/** An ES256 access token of about 1 KB, like an identity provider's with a few claims. */
async function accessTokenOfAboutOneKb(): Promise<string> {
  const issuer = await testIssuer();
  const short = await issuer.accessToken();
  return issuer.accessToken({ ext: 'x'.repeat(Math.max(0, Math.floor(((1024 - short.length) * 3) / 4) - 8)) });
}

/** What a resource server checks on a DPoP proof (RFC 9449 §4.3); throws on any failure. */
async function verifyDpopProof(proof: string, method: string, url: string, binding?: { accessToken: string; jtiStore: MemoryStore }): Promise<void> {
  const { payload } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });
  if (payload.htm !== method) throw new Error('htm mismatch');
  if (typeof payload.htu !== 'string' || toHtu(payload.htu) !== toHtu(url)) throw new Error('htu mismatch');
  const nowSeconds = Date.now() / 1000;
  if (typeof payload.iat !== 'number' || Math.abs(payload.iat - nowSeconds) > SKEW_SECONDS) throw new Error('iat out of range');
  if (!binding) return;
  // §4.3 steps 11-12 at a resource server: the proof is bound to this access token, jti used once.
  if (payload['ath'] !== createHash('sha256').update(binding.accessToken).digest('base64url')) throw new Error('ath mismatch');
  if (typeof payload.jti !== 'string') throw new Error('jti missing');
  if (!(await binding.jtiStore.setIfAbsent(`jti:${payload.jti}`, '1', (nowSeconds + 2 * SKEW_SECONDS) * 1000))) throw new Error('jti replayed');
}

async function main(): Promise<void> {
  const accessToken = await accessTokenOfAboutOneKb();
  const serverKeys = await generateServerKeys();
  const serverJwk = serverKeys.jwks().keys[0];
  const verifier = createVerifier({ keys: serverKeys, replayStore: new MemoryStore(), validateAccessToken: () => true });
  const hmacKey = newHmacKey();
  const request = (token: string): VerifyRequest => ({ method: METHOD, url: URL_, authorization: `Bearer ${token}` });

  // Register the key once (first request carries hmac_key), and prove the replay check is live.
  const first = await verifier.verify(request(await clientJwt({ key: hmacKey, accessToken, method: METHOD, url: URL_, serverJwk })));
  if (!first.registered) throw new Error('setup: key was not registered');
  const once = await clientJwt({ key: hmacKey, accessToken, method: METHOD, url: URL_ });
  await verifier.verify(request(once));
  const replay = await verifier.verify(request(once)).then(() => 'accepted', (e: unknown) => (isVerificationError(e) ? e.error : String(e)));
  if (replay !== 'replayed_nonce') throw new Error(`setup: a replay was ${replay}`);

  let nonce = 1;
  const clientJwts: string[] = [];
  for (let i = 0; i < CLIENT_JWT_POOL; i++) {
    clientJwts.push(await clientJwt({ key: hmacKey, accessToken, method: METHOD, url: URL_, nonce: nonce++, lifetimeSeconds: 60 }));
  }
  const dpopKeys = await generateDpopKeyPair('ES256');
  const proofs: string[] = [];
  for (let i = 0; i < DPOP_POOL; i++) proofs.push(await generateProof(dpopKeys, URL_, METHOD, undefined, accessToken));

  // Baselines: the bare signature checks under each row, over the same signing inputs.
  const sample = clientJwts[0] ?? '';
  const hmacCryptoKey = await crypto.subtle.importKey('raw', base64url.decode(hmacKey.k), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const [hmacInput, hmacSignature] = signingInput(sample);
  const proofSample = proofs[0] ?? '';
  const [esInput, esSignature] = signingInput(proofSample);
  const { publicKey: esPublic } = dpopKeys;

  const results: BenchResult[] = [];
  results.push(
    await measure('HMAC-SHA256 verify, raw crypto.subtle (baseline)', async () => {
      if (!(await crypto.subtle.verify('HMAC', hmacCryptoKey, hmacSignature, hmacInput))) throw new Error('bad HMAC');
    }),
  );
  let next = 0;
  const clientJwtRow = await measure(
    'ClientJWT verify (HS256 + claims + ath + replay, MemoryStore)',
    async () => {
      const token = clientJwts[next++];
      if (token === undefined) throw new Error('ClientJWT pool exhausted');
      await verifier.verify(request(token));
    },
    { maxCalls: CLIENT_JWT_POOL },
  );
  results.push(clientJwtRow);
  results.push(
    await measure('ES256 verify, raw crypto.subtle', async () => {
      if (!(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, esPublic, esSignature, esInput))) throw new Error('bad ES256');
    }),
  );
  next = 0;
  const dpopRow = await measure(
    'DPoP proof verify (ES256 EmbeddedJWK + htm/htu/iat)',
    async () => {
      const proof = proofs[next++];
      if (proof === undefined) throw new Error('DPoP pool exhausted');
      await verifyDpopProof(proof, METHOD, URL_);
    },
    { maxCalls: DPOP_POOL },
  );
  results.push(dpopRow);
  next = 0;
  const jtiStore = new MemoryStore();
  const dpopBoundRow = await measure(
    'DPoP proof verify + ath + jti replay (MemoryStore)',
    async () => {
      const proof = proofs[next++];
      if (proof === undefined) throw new Error('DPoP pool exhausted');
      await verifyDpopProof(proof, METHOD, URL_, { accessToken, jtiStore });
    },
    { maxCalls: DPOP_POOL },
  );
  results.push(dpopBoundRow);

  report('pop-server: ClientJWT vs DPoP verification (Node, 1 core, sequential)', results, {
    accessTokenBytes: accessToken.length,
    clientJwtBytes: sample.length,
    dpopProofBytes: proofSample.length,
    /** How many times longer a DPoP proof takes to verify than a ClientJWT. */
    dpopOverClientJwt: round(dpopRow.usPerOp / clientJwtRow.usPerOp),
    dpopWithAthAndJtiOverClientJwt: round(dpopBoundRow.usPerOp / clientJwtRow.usPerOp),
    node: process.version,
  });
}

/** The JWS signing input and signature bytes of a compact token. */
function signingInput(compact: string): [Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>] {
  const [header, payload, signature] = compact.split('.');
  return [new TextEncoder().encode(`${header}.${payload}`), new Uint8Array(base64url.decode(signature ?? ''))];
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

await main();
