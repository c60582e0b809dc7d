/**
 * The pop-lib tarball the consumer test installs, built as a release would build it:
 * `ng build pop-lib`, then `npm pack` of dist/pop-lib into `destination`.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function packPopLib(workspace: string, destination: string): string {
  execFileSync('npx', ['ng', 'build', 'pop-lib'], { cwd: workspace, stdio: ['ignore', 'ignore', 'inherit'] });
  const name = execFileSync('npm', ['pack', './dist/pop-lib', '--pack-destination', destination], {
    cwd: workspace,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .trim()
    .split('\n')
    .pop();
  if (!name?.endsWith('.tgz')) throw new Error(`npm pack did not name a tarball: ${String(name)}`);
  return join(destination, name);
}
