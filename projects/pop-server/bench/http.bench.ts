/**
 * Requests per second over HTTP on loopback, Express 5 and Fastify 5, for four endpoints
 * (http-server.ts): no authentication (the baseline), a plain bearer token verified with
 * jose on every request, pop-lib-server's ClientJWT adapter, and RFC 9449 DPoP. The server
 * runs in a child process pinned to one core (`taskset -c 1`); autocannon runs here, pinned
 * to the other core. Every ClientJWT and DPoP proof is single-use, so each run draws from a
 * pool built before it starts. Every response counted must be a 2xx (the endpoints answer
 * 200): any other status, a connection error or a timeout fails the whole benchmark.
 *
 * Per framework: probes that each protected endpoint refuses what it should (no token; a
 * replayed ClientJWT or DPoP proof), a warm-up of WARM_UP_REQUESTS per endpoint, then ROUNDS
 * rounds over the four endpoints in rotating order, each run a fixed number of requests
 * (about ROUND_SECONDS at the rate last seen). A row is the median of its rounds; a ratio is
 * the median of the ratios within each round, whose runs are seconds apart, so that load
 * from other processes on a shared machine weighs on both sides alike.
 *
 * Run: npm run bench:http (also part of npm run bench)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { generateKeyPair as generateDpopKeyPair, type KeyPair } from 'dpop';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { testIssuer, type TestIssuer } from '../test/client.ts';
import { freePort } from '../test/redis-server.ts';
import { report, type BenchResult } from './measure.ts';
import { clientJwtSigner, dpopProofs, paddedAccessToken } from './http-tokens.ts';

const FRAMEWORKS = ['express', 'fastify'] as const;
type Framework = (typeof FRAMEWORKS)[number];
const CONNECTIONS = 16;
const WARM_UP_REQUESTS = 2_000;
const ROUNDS = 8;
const ROUND_SECONDS = 0.5;
const MIN_REQUESTS_PER_RUN = 500;
const SERVER_CPU = '1';
const LOAD_CPU = '0';
/** Access tokens outlive the whole run (a few minutes). */
const ACCESS_TOKEN_SECONDS = 600;
const SERVER_SCRIPT = fileURLToPath(new URL('./http-server.ts', import.meta.url));

/** What each request of a run carries: fixed headers, or the next single-use ones from a pool. */
type Headers = Record<string, string>;
interface Load {
  headers?: Headers;
  /** Builds `count` single-use header sets; each request of the run takes the next one. */
  pool?: (count: number) => Promise<Headers[]>;
}

interface Run {
  requestsPerSecond: number;
}

async function main(): Promise<void> {
  const pinned = pinLoadGenerator();
  const issuer = await testIssuer();
  const dpopKeys = await generateDpopKeyPair('ES256');
  const accessToken = await paddedAccessToken(issuer, {}, ACCESS_TOKEN_SECONDS);
  // A DPoP-bound token names the client's key (RFC 9449 §6): same size, plus cnf.jkt.
  const dpopToken = await paddedAccessToken(issuer, { cnf: { jkt: await calculateJwkThumbprint(await exportJWK(dpopKeys.publicKey)) } }, ACCESS_TOKEN_SECONDS);

  for (const framework of FRAMEWORKS) {
    const server = await startServer(framework, issuer, pinned);
    try {
      const { rows, rounds } = await benchFramework(server.origin, { accessToken, dpopToken, dpopKeys });
      const [none, bearer, pop, dpop] = rounds;
      if (!none || !bearer || !pop || !dpop) throw new Error('missing rows');
      // Ratios are taken within each round, between runs seconds apart, then the median of the rounds.
      const ratio = (a: number[], b: number[]) => round(median(a.map((x, i) => x / (b[i] ?? NaN))));
      const popOverBearer = ratio(pop, bearer);
      const popOverDpop = ratio(pop, dpop);
      report(`HTTP on loopback, ${framework === 'express' ? 'Express 5' : 'Fastify 5'}: requests/s per endpoint (server on 1 core, ${CONNECTIONS} connections)`, rows, {
        /** Requests/s of the pop-lib-server endpoint divided by the plain-bearer endpoint's (target >= 1.5). */
        popOverBearer,
        /** Requests/s of the pop-lib-server endpoint divided by the DPoP endpoint's (target >= 3). */
        popOverDpop,
        shareOfNoAuth: { bearer: ratio(bearer, none), pop: ratio(pop, none), dpop: ratio(dpop, none) },
        targetsMet: { popOverBearer: popOverBearer >= 1.5, popOverDpop: popOverDpop >= 3 },
        /** Requests/s of each round. */
        rounds: Object.fromEntries(rows.map((row, i) => [row.name, (rounds[i] ?? []).map(Math.round)])),
        pinned,
        accessTokenBytes: accessToken.length,
        node: process.version,
      });
    } finally {
      await server.stop();
    }
  }
}

interface Tokens {
  accessToken: string;
  dpopToken: string;
  dpopKeys: KeyPair;
}

async function benchFramework(origin: string, tokens: Tokens): Promise<{ rows: BenchResult[]; rounds: number[][] }> {
  await expectStatus(`${origin}/bearer`, {}, 401, 'bearer without a token');

  const popUrl = `${origin}/pop`;
  const serverJwk = ((await (await fetch(`${origin}/pop-keys.json`)).json()) as { keys: JWK[] }).keys[0];
  if (!serverJwk) throw new Error('pop-keys.json has no key');
  const signer = clientJwtSigner(tokens.accessToken, serverJwk);
  await expectStatus(popUrl, { authorization: `Bearer ${await signer.registration('GET', popUrl)}` }, 200, 'ClientJWT registering its key');
  const [probe] = await signer.pool(1, 'GET', popUrl);
  await expectStatus(popUrl, { authorization: `Bearer ${probe}` }, 200, 'ClientJWT');
  await expectStatus(popUrl, { authorization: `Bearer ${probe}` }, 401, 'replayed ClientJWT');

  const dpopUrl = `${origin}/dpop`;
  const dpopPool = async (count: number) =>
    (await dpopProofs(tokens.dpopKeys, count, 'GET', dpopUrl, tokens.dpopToken)).map((proof) => ({ authorization: `DPoP ${tokens.dpopToken}`, dpop: proof }));
  const [dpopProbe] = await dpopPool(1);
  await expectStatus(dpopUrl, dpopProbe ?? {}, 200, 'DPoP proof');
  await expectStatus(dpopUrl, dpopProbe ?? {}, 401, 'replayed DPoP proof');

  const endpoints: { name: string; url: string; load: Load }[] = [
    { name: 'no auth', url: `${origin}/none`, load: {} },
    { name: 'plain bearer (jose jwtVerify, ES256, JWKS)', url: `${origin}/bearer`, load: { headers: { authorization: `Bearer ${tokens.accessToken}` } } },
    {
      name: 'pop-lib-server adapter (ClientJWT, HS256)',
      url: popUrl,
      load: { pool: async (count) => (await signer.pool(count, 'GET', popUrl)).map((jwt) => ({ authorization: `Bearer ${jwt}` })) },
    },
    { name: 'DPoP (RFC 9449, ES256 proof + jkt)', url: dpopUrl, load: { pool: dpopPool } },
  ];

  // Warm-up, and a first estimate of each endpoint's rate.
  const estimate = [];
  for (const endpoint of endpoints) estimate.push((await run(endpoint.url, endpoint.load, WARM_UP_REQUESTS)).requestsPerSecond);
  // Rounds in rotating order, each run about ROUND_SECONDS long, so that load from other
  // processes on a shared machine falls on every endpoint alike.
  const rounds: number[][] = endpoints.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < endpoints.length; k++) {
      const i = (r + k) % endpoints.length;
      const endpoint = endpoints[i];
      if (!endpoint) continue;
      const amount = Math.max(MIN_REQUESTS_PER_RUN, Math.round((estimate[i] ?? 0) * ROUND_SECONDS));
      const { requestsPerSecond } = await run(endpoint.url, endpoint.load, amount);
      rounds[i]?.push(requestsPerSecond);
      estimate[i] = requestsPerSecond;
    }
  }
  const rows = endpoints.map((endpoint, i) => {
    const rate = median(rounds[i] ?? []);
    return { name: endpoint.name, opsPerSec: rate, usPerOp: 1e6 / rate, samples: (rounds[i] ?? []).length };
  });
  return { rows, rounds };
}

/** Sends exactly `amount` requests over CONNECTIONS connections; throws unless every answer is a 2xx. */
async function run(url: string, load: Load, amount: number): Promise<Run> {
  let requests: autocannon.Request[] | undefined;
  let exhausted = false;
  if (load.pool) {
    // Each connection builds its first request up front; spare entries cover that.
    const pool = await load.pool(amount + 2 * CONNECTIONS);
    let next = 0;
    requests = [
      {
        setupRequest: (request) => {
          const headers = pool[next++];
          if (!headers) exhausted = true;
          return { ...request, headers: { ...request.headers, ...headers } };
        },
      },
    ];
  }
  // autocannon notices the end of a run on its sampling tick: sample every 10 ms, not every
  // second, so `duration` (10 ms resolution) is the run's real length.
  const result = await autocannon({ url, connections: CONNECTIONS, amount, sampleInt: 10, ...(load.headers ? { headers: load.headers } : {}), ...(requests ? { requests } : {}) });
  if (exhausted) throw new Error(`${url}: the pool of single-use tokens ran out; the measurement is invalid`);
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx responses, ${result.errors} errors, ${result.timeouts} timeouts (status codes: ${JSON.stringify(result.statusCodeStats)})`);
  }
  if (result.requests.total < amount) throw new Error(`${url}: ${result.requests.total} of ${amount} requests answered`);
  return { requestsPerSecond: result.requests.total / result.duration };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

async function expectStatus(url: string, headers: Headers, status: number, what: string): Promise<void> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(5_000) });
  await response.arrayBuffer();
  if (response.status !== status) throw new Error(`${what}: ${url} answered ${response.status}, expected ${status}`);
}

/**
 * Pins this process (all its threads) to one core so the load generator does not compete
 * with the server on the other. False (and the server runs unpinned) without `taskset` or
 * with fewer than two cores.
 */
function pinLoadGenerator(): boolean {
  if (availableParallelism() < 2 || spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.error('http.bench: taskset or a second core missing: server and load generator run unpinned');
    return false;
  }
  return spawnSync('taskset', ['-a', '-p', '-c', LOAD_CPU, String(process.pid)], { stdio: 'ignore' }).status === 0;
}

async function startServer(framework: Framework, issuer: TestIssuer, pinned: boolean): Promise<{ origin: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const args = [SERVER_SCRIPT, framework, String(port), JSON.stringify(issuer.jwks)];
  const child: ChildProcess = pinned
    ? spawn('taskset', ['-c', SERVER_CPU, process.execPath, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const stopChild = () => child.kill('SIGTERM');
  process.once('exit', stopChild);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`http-server.ts ${framework} did not start within 20 s`)), 20_000);
    child.once('exit', (code) => reject(new Error(`http-server.ts ${framework} exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: async () => {
      process.removeListener('exit', stopChild);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      stopChild();
      await exited;
    },
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

await main();
