// The version of pop-lib a benchmark run compares against (`--baseline=<git ref>`): the
// library's sources at that commit, built as a package beside this one, and the bench app
// (or a bundle-size variant) built against it, so "before" and "after" are measured in the
// same run, on the same machine, by the same measuring code.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** Set by scripts/bench.mjs for the scripts it runs: dist/pop-lib is built already. */
const LIBRARY_BUILT = 'POP_BENCH_LIBRARY_BUILT';
/** Set by scripts/bench.mjs with `--baseline`: the baseline library it built, as JSON. */
const BASELINE_BUILT = 'POP_BENCH_BASELINE_BUILT';

/** `ng build <args>`, its output on stderr: stdout carries only results. */
export function build(args) {
  const result = spawnSync('npx', ['ng', 'build', ...args], { stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error(`ng build ${args.join(' ')} failed (exit ${result.status})`);
}

/** Builds dist/pop-lib, unless scripts/bench.mjs did for this run. */
export function buildLibrary() {
  if (process.env[LIBRARY_BUILT] !== '1') build(['pop-lib']);
}

/** `buildBaselineLibrary(ref)`, unless scripts/bench.mjs built that ref for this run. */
export function baselineLibrary(ref) {
  const built = process.env[BASELINE_BUILT] ? JSON.parse(process.env[BASELINE_BUILT]) : undefined;
  return built?.ref === ref ? built.library : buildBaselineLibrary(ref);
}

/**
 * For scripts/bench.mjs, which runs several benchmark scripts: builds dist/pop-lib (and, with
 * `ref`, the baseline library) once, and sets the environment its scripts inherit so that they
 * skip those builds.
 */
export function buildLibrariesOnce(ref) {
  build(['pop-lib']);
  process.env[LIBRARY_BUILT] = '1';
  if (ref) process.env[BASELINE_BUILT] = JSON.stringify({ ref, library: buildBaselineLibrary(ref) });
}

/** The `--baseline=<ref>` argument (or `POP_BENCH_BASELINE`), or undefined. */
export function baselineRef(argv = process.argv) {
  const ref = argv.find((arg) => arg.startsWith('--baseline='))?.slice('--baseline='.length) || process.env.POP_BENCH_BASELINE;
  return ref || undefined;
}

/**
 * Builds pop-lib as it was at `ref` (`git archive` of projects/pop-lib and the root tsconfig,
 * then ng-packagr, outside the workspace's dist/pop-lib) and writes a tsconfig for the bench
 * app that maps `pop-lib` to it. Returns `{ sha, label, tsConfig, dir }`.
 */
export function buildBaselineLibrary(ref) {
  const sha = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
  const label = sha.startsWith(ref) ? sha.slice(0, 7) : `${ref} (${sha.slice(0, 7)})`;
  const dir = resolve('dist/bench-baseline', sha.slice(0, 12));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  // Read-only on the repository: the files of that commit, nothing checked out.
  const archive = spawnSync('git', ['archive', '--format=tar', sha, 'projects/pop-lib', 'tsconfig.json'], { maxBuffer: 256 * 1024 * 1024 });
  if (archive.status !== 0) throw new Error(`git archive ${sha} failed: ${archive.stderr}`);
  const untar = spawnSync('tar', ['-x', '-C', join(dir, 'src')], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`extracting ${sha} failed: ${untar.stderr}`);
  // Its root tsconfig without the project references: only the library is built here.
  const rootTsConfig = join(dir, 'src/tsconfig.json');
  const { references: _references, ...root } = JSON.parse(readFileSync(rootTsConfig, 'utf8'));
  writeFileSync(rootTsConfig, JSON.stringify(root, null, 2));
  const project = join(dir, 'src/projects/pop-lib');
  const packagr = spawnSync('npx', ['ng-packagr', '-p', join(project, 'ng-package.json'), '-c', join(project, 'tsconfig.lib.prod.json')], {
    stdio: ['ignore', 2, 2],
  });
  if (packagr.status !== 0) throw new Error(`building pop-lib at ${label} failed (exit ${packagr.status})`);
  // The bench app's own tsconfig, with pop-lib mapped to the package just built.
  const tsConfig = join(dir, 'tsconfig.app.json');
  writeFileSync(
    tsConfig,
    JSON.stringify(
      {
        extends: relative(dir, resolve('projects/pop-bench/tsconfig.app.json')),
        compilerOptions: { paths: { 'pop-lib': ['./src/dist/pop-lib'] } },
      },
      null,
      2,
    ),
  );
  return { sha, label, dir, tsConfig: relative(process.cwd(), tsConfig) };
}
