/**
 * pop-lib-server as a user gets it: the tarball `npm run pack` leaves in dist/packages/,
 * installed with npm into a scratch project outside this workspace, used by name from plain
 * `node` (Node 24, and Node 22 from the `node@22` npm package) and from `tsc` with
 * `skipLibCheck: false`. The program it runs is project/verify.mjs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

const root = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'projects/pop-server/package.json'), 'utf8')) as {
  name: string;
  version: string;
  exports: Record<string, unknown>;
};
const tarball = join(root, 'dist/packages', `${manifest.name}-${manifest.version}.tgz`);

/** The workspace's version of a package, so npm finds it in its cache (`--prefer-offline`). */
function workspaceVersion(name: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * A clean environment: npm's own variables from `npm run` dropped, and the workspace's
 * node_modules/.bin off PATH (the scratch project uses what it installed), with this Node's
 * directory first so npm's scripts run on Node 24.
 */
function scratchEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(name) && !['INIT_CWD', 'NODE_OPTIONS', 'NODE_PATH'].includes(name)) env[name] = value;
  }
  const path = (process.env['PATH'] ?? '').split(delimiter).filter((dir) => !dir.startsWith(root));
  env['PATH'] = [dirname(process.execPath), ...path].join(delimiter);
  return env;
}

function run(command: string, args: string[], cwd: string, timeoutMs = 180_000): string {
  const result = spawnSync(command, args, { cwd, env: scratchEnv(), encoding: 'utf8', timeout: timeoutMs });
  const output = `${result.stdout}\n${result.stderr}`;
  assert.equal(result.status, 0, `${command} ${args.join(' ')} in ${cwd} failed (${result.error?.message ?? result.signal ?? result.status}):\n${output}`);
  return result.stdout;
}

function npmInstall(cwd: string, specs: string[]): void {
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], cwd);
}

/** The one JSON line a scratch program prints. */
function runProgram(node: string, file: string, cwd: string): Record<string, unknown> {
  const lines = run(node, [file], cwd, 30_000).trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '') as Record<string, unknown>;
}

describe('pop-lib-server tarball in a scratch Node project', () => {
  let scratch: string;

  before(() => {
    assert.ok(existsSync(tarball), `${relative(root, tarball)} is missing: run npm run pack first`);
    scratch = realpathSync(mkdtempSync(join(tmpdir(), 'pop-lib-server-consumer-')));
    assert.ok(!scratch.startsWith(root + sep) && !root.startsWith(scratch + sep), `scratch project ${scratch} must be outside the workspace`);
    cpSync(join(root, 'consumer/node/project'), scratch, { recursive: true });
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-consumer', private: true, type: 'module' }, null, 2));
    npmInstall(scratch, [tarball, `typescript@${workspaceVersion('typescript')}`, `@types/node@${workspaceVersion('@types/node')}`]);
  });

  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('holds the build, its types, README and LICENSE, and no specs, test helpers, benches or sources', () => {
    const files = run('tar', ['-tzf', tarball], root).trim().split('\n').sort();
    for (const required of ['package/LICENSE', 'package/README.md', 'package/package.json']) assert.ok(files.includes(required), required);
    const unexpected = files.filter((f) => !/^package\/(LICENSE|README\.md|package\.json|lib\/.+\.(js|d\.ts))$/.test(f) || /spec|testing|bench|\/test\//.test(f));
    assert.deepEqual(unexpected, []);
    // The shared protocol module is compiled in beside the server's files.
    assert.ok(files.includes('package/lib/pop-lib/src/protocol/index.js'));
    assert.match(readFileSync(join(scratch, 'node_modules/pop-lib-server/LICENSE'), 'utf8'), /^MIT License/);
  });

  it('has a publishable manifest: public name, real version, MIT, Node >= 22, jose as dependency, frameworks and redis as optional peers', () => {
    const installed = JSON.parse(readFileSync(join(scratch, 'node_modules/pop-lib-server/package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(installed['name'], 'pop-lib-server');
    assert.match(String(installed['version']), /^\d+\.\d+\.\d+$/);
    assert.notEqual(installed['version'], '0.0.0');
    assert.equal(installed['private'], undefined);
    assert.equal(installed['license'], 'MIT');
    assert.deepEqual(installed['engines'], { node: '>=22' });
    assert.deepEqual(Object.keys(installed['dependencies'] as object), ['jose']);
    assert.deepEqual(installed['peerDependenciesMeta'], { express: { optional: true }, fastify: { optional: true }, redis: { optional: true } });
    assert.deepEqual(Object.keys(installed['exports'] as object), ['.', './express', './fastify', './fetch', './redis', './package.json']);
    for (const peer of ['express', 'fastify', 'redis']) assert.ok(!existsSync(join(scratch, 'node_modules', peer)), `${peer} was installed although optional`);
  });

  const expectVerified = (result: Record<string, unknown>, nodeMajor: string) => {
    assert.match(String(result['node']), new RegExp(`^v${nodeMajor}\\.`));
    assert.deepEqual(result['verified'], { registered: true, sub: 'alice', htu: 'https://bank.example/api/accounts' });
    assert.equal(result['replay'], 'replayed_nonce');
    const fetchResult = result['fetch'] as Record<string, unknown>;
    assert.equal(fetchResult['status'], 200);
    assert.deepEqual(fetchResult['body'], { sub: 'alice' });
    assert.equal(fetchResult['replayStatus'], 401);
    assert.match(String(fetchResult['replayChallenge']), /^Bearer error="replayed_nonce"/);
    assert.deepEqual(result['popKeys'], { status: 200, hasPrivate: false });
    assert.equal(result['redisEntry'], 'function');
    assert.equal(result['internal'], 'ERR_PACKAGE_PATH_NOT_EXPORTED');
  };

  it('Node 24: plain node imports it by name, verifies a ClientJWT and refuses its replay (core and Fetch API adapter)', () => {
    expectVerified(runProgram(process.execPath, 'verify.mjs', scratch), '24');
  });

  it('TypeScript, skipLibCheck false: the core and the Fetch API adapter compile with neither express, fastify nor redis installed', () => {
    for (const absent of ['express', '@types/express', 'fastify', 'redis']) assert.ok(!existsSync(join(scratch, 'node_modules', absent)), absent);
    run(join(scratch, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.core.json'], scratch, 120_000);
  });

  it('Node 22 (the node@22 npm package): the same program', () => {
    const node22 = join(scratch, 'node22');
    mkdirSync(node22);
    writeFileSync(join(node22, 'package.json'), JSON.stringify({ name: 'node22', private: true, allowScripts: { node: true } }));
    npmInstall(node22, ['node@22']);
    expectVerified(runProgram(join(node22, 'node_modules/.bin/node'), 'verify.mjs', scratch), '22');
  });

  it('with express, fastify and redis installed: /express, /fastify and /redis compile, and the Express adapter answers over HTTP', () => {
    npmInstall(scratch, [
      `express@${workspaceVersion('express')}`,
      `@types/express@${workspaceVersion('@types/express')}`,
      `fastify@${workspaceVersion('fastify')}`,
      `redis@${workspaceVersion('redis')}`,
    ]);
    run(join(scratch, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.frameworks.json'], scratch, 120_000);
    const result = runProgram(process.execPath, 'express.mjs', scratch);
    assert.equal(result['status'], 200);
    assert.deepEqual(result['body'], { token: 'opaque-token' });
    assert.equal(result['replayStatus'], 401);
    assert.match(String(result['replayChallenge']), /^Bearer error="replayed_nonce"/);
  });
});
