// `npm run pack`: builds both packages and leaves their tarballs in dist/packages/:
//   pop-lib-<version>.tgz         `ng build pop-lib` (Angular Package Format, staged in dist/pop-lib)
//   pop-lib-server-<version>.tgz  `tsc -p projects/pop-server/tsconfig.build.json` (staged in dist/pop-lib-server)
// Both ship the repository's LICENSE. `node scripts/pack.mjs pop-lib-server` packs one of them.
// Prints one line per tarball: its path, size and file count.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const destination = join(root, 'dist/packages');

const builds = {
  'pop-lib': buildPopLib,
  'pop-lib-server': buildPopLibServer,
};

const requested = process.argv.slice(2);
for (const name of requested) if (!(name in builds)) fail(`unknown package "${name}" (known: ${Object.keys(builds).join(', ')})`);

mkdirSync(destination, { recursive: true });
for (const name of requested.length > 0 ? requested : Object.keys(builds)) {
  const staged = builds[name]();
  copyFileSync(join(root, 'LICENSE'), join(staged, 'LICENSE'));
  const manifest = JSON.parse(readFileSync(join(staged, 'package.json'), 'utf8'));
  if (manifest.name !== name) fail(`${staged}/package.json is named "${manifest.name}", expected "${name}"`);
  removeOldTarballs(name);
  const [packed] = JSON.parse(run('npm', ['pack', staged, '--pack-destination', destination, '--json', '--silent'], { capture: true }));
  console.log(`pack: ${join('dist/packages', packed.filename)}  ${(packed.size / 1024).toFixed(1)} kB, ${packed.entryCount} files`);
}

function buildPopLib() {
  run('npx', ['ng', 'build', 'pop-lib']);
  return join(root, 'dist/pop-lib');
}

function buildPopLibServer() {
  const staged = join(root, 'dist/pop-lib-server');
  // A clean stage: a source file removed since the last build must not linger in the tarball.
  rmSync(staged, { recursive: true, force: true });
  run('npx', ['tsc', '-p', 'projects/pop-server/tsconfig.build.json']);
  for (const file of ['package.json', 'README.md']) copyFileSync(join(root, 'projects/pop-server', file), join(staged, file));
  // Every entry point the manifest exports must have been built.
  const { exports } = JSON.parse(readFileSync(join(staged, 'package.json'), 'utf8'));
  for (const [entry, target] of Object.entries(exports)) {
    for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
      if (!existsSync(join(staged, file))) fail(`export "${entry}" points to ${file}, which the build did not produce`);
    }
  }
  return staged;
}

function removeOldTarballs(name) {
  const own = new RegExp(`^${name}-\\d+\\.\\d+\\.\\d+.*\\.tgz$`);
  for (const file of readdirSync(destination)) if (own.test(file)) rmSync(join(destination, file));
}

function run(command, args, { capture = false } = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  return result.stdout;
}

function fail(message) {
  console.error(`pack: ${message}`);
  process.exit(1);
}
