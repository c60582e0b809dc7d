// `npm run bench`: runs the browser benchmarks (scripts/bench-browser.mjs: the production build
// of projects/pop-bench in headless Chromium), the bundle-size measurement
// (scripts/bench-bundle.mjs) and the Node benchmarks (`projects/pop-server/bench/*.bench.ts`,
// when present), collects their `BENCH {json}` lines, prints one table per group with each
// row's ratio to the group's baseline, and writes bench-results/results.json.
//
//   npm run bench                        this version
//   npm run bench -- --baseline=main     and, in the same run, pop-lib as it is at that git ref
//                                        (per request and bundle size; see bench-baseline.mjs)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { baselineRef, buildLibrariesOnce } from './bench-baseline.mjs';

const groups = [];

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, POP_BENCH: '1' } });
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        collect(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
      }
    });
    child.on('close', (code) => {
      collect(buffer);
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`));
    });
  });
}

const seen = new Set();

function collect(rawLine) {
  // eslint-disable-next-line no-control-regex
  const line = rawLine.replace(/\x1b\[[0-9;]*m/g, '');
  const at = line.indexOf('BENCH {');
  if (at < 0) return;
  const json = line.slice(at + 6);
  if (seen.has(json)) return;
  seen.add(json);
  try {
    groups.push(JSON.parse(json));
  } catch {
    console.error(`unreadable benchmark line: ${line}`);
  }
}

function print(group) {
  console.log(`\n## ${group.group}   (baseline: ${group.baseline})`);
  for (const row of group.rows) console.log(`  ${row.name.padEnd(66)} ${figures(group.unit, row)}  x${row.ratioToBaseline.toFixed(2)}`);
  for (const [key, value] of Object.entries(group)) {
    if (!['group', 'baseline', 'rows', 'unit'].includes(key)) console.log(`  ${key}: ${JSON.stringify(value)}`);
  }
}

/** A row's figures in its group's unit: per-operation timings by default, page-load ms, or bytes. */
function figures(unit, row) {
  if (unit === 'ms') return `${row.msMedian.toFixed(1).padStart(9)} ms median (${row.msMin.toFixed(1)}–${row.msMax.toFixed(1)}, n=${row.samples})`;
  if (unit === 'bytes') {
    const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
    return `${kib(row.gzipBytes).padStart(10)} gzip (${row.addedGzipBytes >= 0 ? '+' : ''}${kib(row.addedGzipBytes)}) ${kib(row.brotliBytes).padStart(10)} brotli ${kib(row.rawBytes).padStart(10)} raw`;
  }
  const ops = Math.round(row.opsPerSec).toLocaleString('en');
  return `${row.usPerOp.toFixed(2).padStart(10)} µs/op ${ops.padStart(12)} ops/s`;
}

const passOn = process.argv.filter((arg) => arg.startsWith('--baseline='));
// Both scripts below need dist/pop-lib (and the baseline library): built here once, not by each.
buildLibrariesOnce(baselineRef());
await run('node', ['scripts/bench-browser.mjs', ...passOn]);
await run('node', ['scripts/bench-bundle.mjs', ...passOn]);
const serverBench = 'projects/pop-server/bench';
if (existsSync(serverBench)) {
  for (const file of readdirSync(serverBench).filter((f) => f.endsWith('.bench.ts')).sort()) {
    await run('node', [`${serverBench}/${file}`]);
  }
}

groups.forEach(print);
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/results.json', JSON.stringify({ date: new Date().toISOString(), groups }, null, 2));
console.log('\nwritten: bench-results/results.json');
