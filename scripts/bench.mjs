// `npm run bench`: runs the browser benchmarks (`projects/pop-lib/**/*.bench.ts`, in headless
// Chromium through Karma) and the Node benchmarks (`projects/pop-server/bench/*.bench.ts`,
// when present), collects their `BENCH {json}` lines, prints one table per group with each
// row's ratio to the group's baseline, and writes bench-results/results.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';

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
  // Karma quotes browser console output ("LOG: 'BENCH {...}'"); strip that wrapper.
  const json = line.slice(at + 6).replace(/'\s*$/, '');
  // Karma may echo a browser log line twice.
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
  for (const row of group.rows) {
    const ops = Math.round(row.opsPerSec).toLocaleString('en');
    console.log(`  ${row.name.padEnd(58)} ${row.usPerOp.toFixed(2).padStart(10)} µs/op ${ops.padStart(12)} ops/s  x${row.ratioToBaseline.toFixed(2)}`);
  }
  for (const [key, value] of Object.entries(group)) {
    if (!['group', 'baseline', 'rows'].includes(key)) console.log(`  ${key}: ${JSON.stringify(value)}`);
  }
}

await run('npx', ['ng', 'test', 'pop-lib', '--watch=false', '--include=**/*.bench.ts']);
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
