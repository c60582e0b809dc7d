/**
 * Server-side cost per request, one core, sequential, with a realistic access token (ES256,
 * about 1 KB) checked by `jwksAccessTokenValidator`:
 * - floor: the raw `node:crypto` HMAC-SHA256 check of a ClientJWT's signing input;
 * - pop-lib-server: `verify` with a registered key (the validator's result travels with the
 *   registration, so steady state is HMAC, hash, times, htm/htu and one replay-store write);
 * - a plain bearer token: `jwtVerify` of the same access token on every request;
 * - DPoP (RFC 9449 §4.3 at a resource server): the ES256 proof with its embedded key, htm,
 *   htu, iat, ath and a jti replay check, plus the same access-token check on every request.
 * Inputs are single-use, so each row draws from a pool built before the clock starts. Rows
 * run in seven rounds, in turn, and each ratio is the median of the rounds' ratios, so load
 * from other jobs falls on every row alike.
 *
 * Run: npm run bench (or node_modules/.bin/node projects/pop-server/bench/verify.bench.ts)
 */
import { createHash, createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { generateKeyPair as generateDpopKeyPair, generateProof } from 'dpop';
import { base64url, EmbeddedJWK, jwtVerify } from 'jose';
import { createVerifier, generateServerKeys, isVerificationError, jwksAccessTokenValidator, MemoryStore, type VerifyRequest } from '../src/index.ts';
import { toHtu } from '../src/protocol.ts';
import { clientJwt, newHmacKey, TEST_AUDIENCE, TEST_ISSUER, testIssuer } from '../test/client.ts';
import { paddedAccessToken } from './http-tokens.ts';
import { measureInRounds, report, type BenchResult } from './measure.ts';

const METHOD = 'GET';
const URL_ = 'https://bank.example/api/accounts';
const SKEW_SECONDS = 30;
// Sized for each row's ~0.9 s on this kind of machine; a row that runs out reports fewer samples.
const CLIENT_JWT_POOL = 80_000;
const DPOP_POOL = 6_000;

/** An ES256 access token of about 1 KB from an identity provider, and the validator a resource server uses. */
async function realisticAccessToken() {
  const issuer = await testIssuer();
  const accessToken = await paddedAccessToken(issuer, {}, 3600);
  const validator = jwksAccessTokenValidator(issuer.jwks, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
  const validate = async (token: string) => validator(token, { kid: '', method: METHOD, url: URL_ });
  return { accessToken, validate, validator };
}

/** What a resource server checks on a DPoP proof (RFC 9449 §4.3), then the access token; throws on any failure. */
async function verifyDpop(proof: string, accessToken: string, jtiStore: MemoryStore, validate: (token: string) => Promise<unknown>): Promise<void> {
  const { payload } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });
  if (payload.htm !== METHOD) throw new Error('htm mismatch');
  if (typeof payload.htu !== 'string' || toHtu(payload.htu) !== toHtu(URL_)) throw new Error('htu mismatch');
  const nowSeconds = Date.now() / 1000;
  if (typeof payload.iat !== 'number' || Math.abs(payload.iat - nowSeconds) > SKEW_SECONDS) throw new Error('iat out of range');
  if (payload['ath'] !== createHash('sha256').update(accessToken).digest('base64url')) throw new Error('ath mismatch');
  if (typeof payload.jti !== 'string') throw new Error('jti missing');
  if (!(await jtiStore.setIfAbsent(`jti:${payload.jti}`, '1', (nowSeconds + 2 * SKEW_SECONDS) * 1000))) throw new Error('jti replayed');
  // A real resource server would also compare the token's cnf.jkt with the proof key's thumbprint.
  await validate(accessToken);
}

async function main(): Promise<void> {
  const { accessToken, validate, validator } = await realisticAccessToken();
  const serverKeys = await generateServerKeys();
  const serverJwk = serverKeys.jwks().keys[0];
  const verifier = createVerifier({ keys: serverKeys, replayStore: new MemoryStore(), validateAccessToken: validator });
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

  // The floor: HMAC-SHA256 of a ClientJWT's signing input with node:crypto, constant-time compare.
  const sample = clientJwts[0] ?? '';
  const dot = sample.lastIndexOf('.');
  const [floorInput, floorSignature] = [sample.slice(0, dot), base64url.decode(sample.slice(dot + 1))];
  const floorKey = createSecretKey(base64url.decode(hmacKey.k));

  let nextClientJwt = 0;
  let nextProof = 0;
  const jtiStore = new MemoryStore();
  const { results, ratios } = await measureInRounds([
    {
      name: 'HMAC-SHA256 check, raw node:crypto (floor)',
      fn: () => {
        if (!timingSafeEqual(createHmac('sha256', floorKey).update(floorInput).digest(), floorSignature)) throw new Error('bad HMAC');
      },
    },
    {
      name: 'pop-lib-server verify (registered key, ES256 token validated at registration)',
      fn: async () => {
        const token = clientJwts[nextClientJwt++];
        if (token === undefined) throw new Error('ClientJWT pool exhausted');
        await verifier.verify(request(token));
      },
      maxCalls: CLIENT_JWT_POOL,
    },
    { name: 'plain bearer: jwtVerify of the ES256 access token', fn: () => validate(accessToken) },
    {
      name: 'DPoP: ES256 proof (EmbeddedJWK, htm/htu/iat/ath/jti) + the access token check',
      fn: async () => {
        const proof = proofs[nextProof++];
        if (proof === undefined) throw new Error('DPoP pool exhausted');
        await verifyDpop(proof, accessToken, jtiStore, validate);
      },
      maxCalls: DPOP_POOL,
    },
  ]);
  const [, popRatio = Number.NaN, bearerRatio = Number.NaN, dpopRatio = Number.NaN] = ratios;
  const popRow = results[1] as BenchResult;

  report('pop-lib-server: verification per request (Node, 1 core, sequential)', results, {
    accessTokenBytes: accessToken.length,
    clientJwtBytes: sample.length,
    popVerificationsPerSecond: Math.round(popRow.opsPerSec),
    /** Targets: pop at most 6x the floor; DPoP at least 10x pop; pop faster than a plain bearer check. */
    popOverFloor: round(popRatio),
    dpopOverPop: round(dpopRatio / popRatio),
    plainBearerOverPop: round(bearerRatio / popRatio),
    rounds: 7,
    node: process.version,
  }, ratios);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

await main();
