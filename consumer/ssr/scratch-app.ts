/**
 * A scratch Angular SSR app outside the workspace, made the way a user makes one: `ng new --ssr`
 * (the workspace's Angular CLI version), pop-lib installed from its tarball, the app files in
 * ./app copied over the generated ones, `ng build`, then the built server started on loopback.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const APP_NAME = 'pop-ssr-consumer';
const APP_FILES = join(import.meta.dirname, 'app');
const MINUTE = 60_000;

export interface ScratchAppOptions {
  /** The workspace root (its Angular versions and its Node 24 are used). */
  workspace: string;
  /** Where to create the app: a temporary directory outside the workspace. */
  parent: string;
  /** The pop-lib tarball to install. */
  tarball: string;
  /** Written into the app's `consumer-env.ts`. */
  resourceServer: string;
  accessToken: string;
}

/** Creates, installs and builds the app; returns its directory. */
export function createSsrApp(options: ScratchAppOptions): string {
  const env = childEnv(options.workspace);
  const cliVersion = readJson(join(options.workspace, 'node_modules/@angular/cli/package.json')).version as string;
  run(
    'npx',
    [
      '--yes',
      `@angular/cli@${cliVersion}`,
      'new',
      APP_NAME,
      '--ssr',
      '--zoneless',
      '--routing',
      '--style=css',
      '--skip-git',
      '--skip-install',
      '--skip-tests',
      '--defaults',
      '--interactive=false',
      '--ai-config=none',
      '--package-manager=npm',
    ],
    { cwd: options.parent, env, timeout: 3 * MINUTE },
  );
  const dir = join(options.parent, APP_NAME);
  pinVersions(dir, options);
  cpSync(APP_FILES, dir, { recursive: true });
  writeFileSync(
    join(dir, 'src/app/consumer-env.ts'),
    `export const RESOURCE_SERVER = ${JSON.stringify(options.resourceServer)};\nexport const ACCESS_TOKEN = ${JSON.stringify(options.accessToken)};\n`,
  );
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, env, timeout: 6 * MINUTE });
  run('npx', ['ng', 'build'], { cwd: dir, env, timeout: 6 * MINUTE });
  return dir;
}

/**
 * The scratch app's package.json: Angular at the workspace's versions; platform-server and ssr
 * at the same minor (the registry may lag behind the other Angular packages, so their peers
 * are pinned with `overrides`); pop-lib from the tarball.
 */
function pinVersions(dir: string, options: ScratchAppOptions): void {
  const workspace = readJson(join(options.workspace, 'package.json'));
  const pinned: Record<string, string> = { ...workspace.dependencies, ...workspace.devDependencies };
  const core = pinned['@angular/core'] ?? '';
  const minor = /^(\d+\.\d+)\./.exec(core)?.[1];
  if (!minor) throw new Error(`cannot read the workspace's @angular/core version: ${core}`);
  const file = join(dir, 'package.json');
  const app = readJson(file);
  for (const section of ['dependencies', 'devDependencies'] as const) {
    for (const name of Object.keys(app[section] ?? {})) {
      if (name in pinned) app[section][name] = pinned[name];
      else if (name === '@angular/ssr' || name === '@angular/platform-server') app[section][name] = `~${minor}.0`;
    }
  }
  app.dependencies['pop-lib'] = `file:${options.tarball}`;
  const same = (...names: string[]) => Object.fromEntries(names.map((name) => [name, `$${name}`]));
  app.overrides = {
    '@angular/platform-server': same('@angular/common', '@angular/compiler', '@angular/core', '@angular/platform-browser'),
    '@angular/build': same('@angular/ssr'),
  };
  writeFileSync(file, JSON.stringify(app, null, 2) + '\n');
}

export interface SsrServer {
  origin: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts the built SSR server on a free loopback port. */
export async function startSsrServer(dir: string, workspace: string): Promise<SsrServer> {
  const child = spawn(process.execPath, [join('dist', APP_NAME, 'server', 'server.mjs')], {
    cwd: dir,
    env: { ...childEnv(workspace), PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the SSR server did not start within 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the SSR server exited with ${code}:\n${output}`));
    });
  });
  return {
    origin,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * The environment for the scratch project's tools: the workspace's Node 24 first on PATH,
 * without the npm_* variables of the `npm test` that runs this (they would configure the
 * scratch project's npm as if it were the workspace's).
 */
function childEnv(workspace: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key) && key !== 'INIT_CWD') env[key] = value;
  env['PATH'] = `${join(workspace, 'node_modules', '.bin')}:${process.env['PATH'] ?? ''}`;
  env['NG_CLI_ANALYTICS'] = 'false';
  return env;
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeout: number }): void {
  try {
    execFileSync(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', killSignal: 'SIGKILL' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${options.cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: error });
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- package.json files are untyped JSON
function readJson(file: string): any {
  return JSON.parse(readFileSync(file, 'utf8'));
}
