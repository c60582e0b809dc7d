// Browser benchmarks on a production build: builds dist/pop-lib and the benchmark app
// (projects/pop-bench: AOT, optimised, esbuild), serves it on 127.0.0.1, opens each page in
// Debian's Chromium (playwright-core) and prints the pages' `BENCH {json}` lines on stdout,
// where scripts/bench.mjs collects them. Then the first-request scenario: ms from navigation
// start to the first signed request, for a first visit, a reload and a second tab.
//
//   node scripts/bench-browser.mjs              build, then run every page
//   node scripts/bench-browser.mjs --no-build   reuse dist/pop-bench
//   node scripts/bench-browser.mjs --only=client-jwt,first-request   some pages only
//   node scripts/bench-browser.mjs --baseline=main   also the per-request page and the first-request
//                                      scenario with pop-lib as it is at that git ref (built
//                                      beside this one), the two versions in turns
//   POP_BENCH_ROUNDS=25 node scripts/bench-browser.mjs   more page loads per scenario row
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { chromium } from 'playwright-core';
import CHROMIUM_FLAGS from './chromium-flags.json' with { type: 'json' };
import { baselineLibrary, baselineRef, build, buildLibrary } from './bench-baseline.mjs';

const PAGES = ['/read-claims', '/key-resolver', '/encryption', '/client-jwt'];
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const selected = (page) => !only || only.includes(page.replace(/^\//, ''));
const PAGE_TIMEOUT_MS = 300_000;
const LOAD_TIMEOUT_MS = 30_000;
const ROUNDS = Number(process.env.POP_BENCH_ROUNDS ?? 15);
const OUTPUT = resolve('dist/pop-bench/browser');
const BASELINE_OUTPUT = 'dist/bench-baseline/pop-bench';
/** Page loads per version of the per-request comparison with `--baseline`, taken in turns. */
const COMPARISON_LOADS = 3;

const ref = baselineRef();
if (!process.argv.includes('--no-build')) {
  buildLibrary();
  build(['pop-bench']);
}
const baseline = ref && (selected('/client-jwt') || selected('/first-request')) ? buildBaseline(ref) : undefined;

const server = await serve(OUTPUT);
const origin = `http://127.0.0.1:${server.address().port}`;
const baselineServer = baseline ? await serve(resolve(BASELINE_OUTPUT, 'browser')) : undefined;
const browser = await chromium.launch({ executablePath: process.env.CHROME_BIN || '/usr/bin/chromium', args: CHROMIUM_FLAGS, timeout: 30_000 });
try {
  for (const path of PAGES.filter(selected)) {
    if (path === '/client-jwt' && baseline) await compareClientJwt(baseline, `http://127.0.0.1:${baselineServer.address().port}`);
    else await runPage(path);
  }
  if (selected('/first-request')) {
    const versions = [{ origin }];
    if (baseline) versions.push({ origin: `http://127.0.0.1:${baselineServer.address().port}`, label: baseline.label });
    await firstRequestScenario(versions);
  }
} finally {
  await browser.close();
  for (const listening of [server, baselineServer]) {
    listening?.closeAllConnections();
    listening?.close();
  }
}

/** The bench app again, built against pop-lib as it is at `ref`. */
function buildBaseline(ref) {
  const { label, tsConfig } = baselineLibrary(ref);
  build(['pop-bench', '--ts-config', tsConfig, '--output-path', BASELINE_OUTPUT]);
  return { label };
}

/**
 * The per-request page with this version and with the baseline, in turns (COMPARISON_LOADS
 * each), so that both see the same machine load. Prints this version's first group as usual,
 * the baseline's first group under its own name, and a summary: per version, the median over
 * its page loads of each load's own ratios (interceptor to the HMAC floor, to a jose-signed
 * ClientJWT of the same claims, and a DPoP proof to the interceptor).
 */
async function compareClientJwt({ label }, baselineOrigin) {
  const loads = { current: [], baseline: [] };
  for (let i = 0; i < COMPARISON_LOADS; i++) {
    for (const version of ['current', 'baseline']) {
      const [group] = await runPage('/client-jwt', version === 'current' ? origin : baselineOrigin, { print: false });
      if (!group) throw new Error('/client-jwt reported nothing');
      loads[version].push(group);
      if (i === 0) console.log('BENCH ' + JSON.stringify(version === 'current' ? group : { ...group, group: `${group.group}, pop-lib at ${label}` }));
    }
  }
  const interceptor = (g) => g.rows.find((r) => r.name.startsWith('popInterceptor per request'));
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const summary = (name, groups) => {
    const us = median(groups.map((g) => interceptor(g).usPerOp));
    return {
      name,
      usPerOp: us,
      opsPerSec: 1_000_000 / us,
      samples: groups.length,
      interceptorToFloor: median(groups.map((g) => g.interceptorToFloor)),
      interceptorToJoseClaims: median(groups.map((g) => g.interceptorToJoseClaims)),
      dpopToInterceptor: median(groups.map((g) => g.dpopToInterceptor)),
    };
  };
  const rows = [summary(`pop-lib at ${label}`, loads.baseline), summary('this version', loads.current)];
  // The row ratio compares the versions by their ratios to the floor of their own page loads.
  for (const row of rows) row.ratioToBaseline = row.interceptorToFloor / rows[0].interceptorToFloor;
  const pair = (key) => ({ baseline: rows[0][key], thisVersion: rows[1][key] });
  console.log(
    'BENCH ' +
      JSON.stringify({
        group: `popInterceptor per request: this version against pop-lib at ${label} (${COMPARISON_LOADS} page loads each, in turns)`,
        baseline: rows[0].name,
        rows,
        interceptorToFloor: pair('interceptorToFloor'),
        interceptorToJoseClaims: pair('interceptorToJoseClaims'),
        dpopToInterceptor: pair('dpopToInterceptor'),
      }),
  );
}

/** Static files on loopback, cached as a production server would: hashed files for a year, index.html revalidated. */
async function serve(root) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.ico': 'image/x-icon' };
  const listening = createServer(async (request, response) => {
    let body;
    let name;
    try {
      name = join(root, normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)));
      if (!name.startsWith(root) || extname(name) === '') throw new Error('not a file');
      body = await readFile(name);
    } catch {
      name = join(root, 'index.html'); // the app's own routes
      body = await readFile(name);
    }
    const hashed = /-[A-Za-z0-9_-]{8}\.(js|css)$/.test(name);
    response.writeHead(200, {
      'Content-Type': types[extname(name)] ?? 'application/octet-stream',
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    response.end(body);
  });
  await new Promise((done) => listening.listen(0, '127.0.0.1', done));
  return listening;
}

/** Opens one benchmark page, forwards (or only returns) its BENCH groups until it says BENCH-DONE. */
async function runPage(path, at = origin, { print = true } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const groups = [];
  try {
    const finished = new Promise((done, fail) => {
      page.on('console', (message) => {
        const text = message.text();
        if (text.startsWith('BENCH {')) {
          groups.push(JSON.parse(text.slice('BENCH '.length)));
          if (print) console.log(text);
        } else if (text === 'BENCH-DONE') done();
        else if (text.startsWith('BENCH-ERROR')) fail(new Error(`${path}: ${text}`));
      });
      page.on('pageerror', (error) => fail(new Error(`${path}: ${error.message}`)));
    });
    await page.goto(at + path);
    await withTimeout(finished, PAGE_TIMEOUT_MS, `${path} did not finish`);
    console.error(`bench page ${path}${at === origin ? '' : ' (baseline)'}: done`);
    return groups;
  } finally {
    await context.close();
  }
}

/**
 * ms to the first request reaching the page's in-memory backend, as the median of ROUNDS fresh
 * browser contexts (after one warm-up round). Each context: a first visit, a reload of that
 * tab, and a second tab opened beside it. Once with the request going to the configured
 * resource server (signed), once with `?bare` (same app, unconfigured server, bare token).
 * Three clocks: from navigation start (what a user waits for, browser work included), from
 * the app script's start (the app's and the library's own work), and from the app issuing the
 * request (the interceptor chain: pop-lib's work alone).
 */
async function firstRequestScenario(versions) {
  const fixtures = await makeFixtures();
  const loadsOf = versions.map(() => ({ pop: [[], [], []], bare: [[], [], []] }));
  for (let round = 0; round <= ROUNDS; round++) {
    // Versions in turns, round by round: both see the same machine load.
    for (const [v, version] of versions.entries()) {
      for (const variant of ['pop', 'bare']) {
        const context = await browser.newContext();
        await context.addInitScript({ content: `globalThis.popBenchFixtures = ${JSON.stringify(fixtures)};` });
        try {
          const url = `${version.origin}/first-request${variant === 'bare' ? '?bare' : ''}`;
          const tab = await context.newPage();
          const loads = [await firstRequest(tab, () => tab.goto(url)), await firstRequest(tab, () => tab.reload())];
          const secondTab = await context.newPage();
          loads.push(await firstRequest(secondTab, () => secondTab.goto(url)));
          if (round === 0) continue; // warm-up: disk cache, code cache
          loads.forEach((load, i) => {
            check(load, variant, fixtures.accessToken);
            loadsOf[v][variant][i].push(load);
          });
        } finally {
          await context.close();
        }
      }
    }
  }
  for (const [v, { label }] of versions.entries()) {
    const suffix = label ? `, pop-lib at ${label}` : '';
    report(`First signed request after navigation start (production build${suffix})`, loadsOf[v], 'ms');
    report(`First signed request after the app script's start (production build${suffix})`, loadsOf[v], 'scriptMs');
    report(`First signed request: from the app issuing it to the backend (pop-lib work only${suffix})`, loadsOf[v], 'chainMs');
  }
}

function report(group, loadsOf, clock) {
  const names = ['first visit (no stored key)', 'reload (same tab)', 'second tab (same browser context)'];
  const carried = (loads) => `${loads.filter((load) => decodeJwt(bearer(load)).hmac_key !== undefined).length}/${loads.length}`;
  const rows = [
    ...names.map((name, i) => row(name, loadsOf.pop[i].map((load) => load[clock]), { carriedHmacKey: carried(loadsOf.pop[i]) })),
    ...names.map((name, i) => row(`bare bearer, no ClientJWT: ${name.replace(' (no stored key)', '')}`, loadsOf.bare[i].map((load) => load[clock]))),
  ];
  const first = rows[0].msMedian;
  for (const r of rows) r.ratioToBaseline = r.msMedian / first;
  const result = {
    group,
    unit: 'ms',
    baseline: rows[0].name,
    rows,
    rounds: ROUNDS,
    reloadToFirstVisit: round2(rows[1].msMedian / first),
    tabToFirstVisit: round2(rows[2].msMedian / first),
    firstVisitToBare: round2(first / rows[3].msMedian),
    popMinusBareMs: rows.slice(0, 3).map((r, i) => round2(r.msMedian - rows[i + 3].msMedian)),
  };
  console.log('BENCH ' + JSON.stringify(result));
}

/** Loads a page with `navigate` and returns what its backend saw first: `{ ms, url, authorization }`. */
async function firstRequest(page, navigate) {
  let listener;
  const seen = new Promise((done, fail) => {
    listener = (message) => {
      const text = message.text();
      if (text.startsWith('BENCH-FIRST-REQUEST ')) done(JSON.parse(text.slice('BENCH-FIRST-REQUEST '.length)));
      else if (text.startsWith('BENCH-ERROR')) fail(new Error(text));
    };
    page.on('console', listener);
  });
  try {
    await navigate();
    return await withTimeout(seen, LOAD_TIMEOUT_MS, 'no request reached the backend');
  } finally {
    page.off('console', listener);
  }
}

/** A measurement only counts if the request was what the row claims: a ClientJWT, or the bare token. */
function check(load, variant, accessToken) {
  if (variant === 'bare') {
    if (load.authorization !== `Bearer ${accessToken}`) throw new Error(`bare request carried ${load.authorization}`);
    return;
  }
  const jwt = bearer(load);
  if (decodeProtectedHeader(jwt).typ !== 'client+jwt' || decodeJwt(jwt).access_token !== accessToken) {
    throw new Error(`the first request was not a ClientJWT wrapping the access token: ${load.authorization}`);
  }
}

function bearer(load) {
  return String(load.authorization).replace(/^Bearer /, '');
}

/** The resource server's public key and a ~1 KB access token, made here so no page spends time on them. */
async function makeFixtures() {
  const server = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
  const serverJwk = { ...(await exportJWK(server.publicKey)), kid: 'bank-enc-1', use: 'enc', alg: 'ECDH-ES+A256KW' };
  const issuer = await generateKeyPair('ES256');
  const accessToken = await new SignJWT({ sub: 'alice', aud: 'bank', scope: 'accounts:read '.repeat(55) })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(issuer.privateKey);
  return { serverJwk, accessToken };
}

function row(name, values, extra = {}) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return {
    name,
    usPerOp: median * 1000,
    opsPerSec: 1000 / median,
    samples: sorted.length,
    msMedian: round2(median),
    msMin: round2(sorted[0]),
    msMax: round2(sorted[sorted.length - 1]),
    ...extra,
  };
}

function round2(value) {
  return Number(value.toFixed(2));
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, fail) => (timer = setTimeout(() => fail(new Error(`${what} within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
