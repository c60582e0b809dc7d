// The registry reachable here lacks some other-platform optional binaries at the versions
// their parents require (e.g. @oxc-parser/binding-darwin-arm64). `npm install` then leaves
// them out of package-lock.json and `npm ci` on a fresh clone fails with "not in sync".
// This script adds a lock entry (version, dev, optional, os, cpu) for each such package so
// that `npm ci` skips it on this platform, as it would skip a present entry.
// Run it after every lock file change: `node scripts/lock-missing-optionals.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../package-lock.json', import.meta.url);
const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony', 'netbsd', 'openbsd', 'sunos', 'aix'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 'riscv64', 's390x', 'loong64', 'wasm32', 'mips64el'];

const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;
const added = [];

for (const [path, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path}/node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    const tokens = name.split('/').pop().split('-');
    const os = OS.filter((o) => tokens.includes(o));
    const cpu = CPU.filter((c) => tokens.includes(c));
    if (name.includes('wasm32')) cpu.splice(0, cpu.length, 'wasm32');
    if (cpu.length === 0 && os.length === 0) {
      console.warn(`skipped ${name}: cannot tell its platform from its name`);
      continue;
    }
    packages[`node_modules/${name}`] = {
      version: range.replace(/^[\^~=]/, ''),
      dev: entry.dev ?? undefined,
      optional: true,
      ...(os.length ? { os } : {}),
      ...(cpu.length ? { cpu } : {}),
    };
    added.push(name);
  }
}

lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(LOCK, JSON.stringify(lock, null, 2) + '\n');
console.log(added.length ? `added lock entries for: ${added.join(', ')}` : 'lock file complete');
