/**
 * The pop-lib tarball the consumer test installs: the one `npm run pack` leaves in
 * dist/packages/, as a release would build it (`npm run test:consumer` packs first).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export function popLibTarball(workspace: string): string {
  const { name, version } = JSON.parse(readFileSync(join(workspace, 'projects/pop-lib/package.json'), 'utf8')) as { name: string; version: string };
  const tarball = join(workspace, 'dist/packages', `${name}-${version}.tgz`);
  if (!existsSync(tarball)) throw new Error(`${relative(workspace, tarball)} is missing: run npm run pack first`);
  return tarball;
}
