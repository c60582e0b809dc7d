/**
 * The showcase under test: its backend (oidc-provider at /idp, the pop-server bank at /api)
 * serving the built app on one loopback origin, and Debian's Chromium driven by Playwright.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createShowcase, type Showcase } from '../../projects/showcase-server/src/app.ts';
import CHROMIUM_FLAGS from '../../scripts/chromium-flags.json' with { type: 'json' };

/** Longest wait for one step in the page (the whole run stays bounded). */
export const TIMEOUT = 15_000;

export interface RunningShowcase extends Showcase {
  origin: string;
  close(): Promise<void>;
}

/** Starts the backend on 127.0.0.1 (a free port) with the built showcase; `now` is its clock. */
export async function startShowcase(options: { now?: () => number } = {}): Promise<RunningShowcase> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const showcase = await createShowcase({ publicOrigin: origin, staticDir: 'dist/showcase/browser', ...options });
  server.on('request', showcase.app);
  return {
    ...showcase,
    origin,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env['CHROME_BIN'] ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS, timeout: TIMEOUT });
}

/** A page of `context` with the run's timeout, whose uncaught errors land in `errors`. */
export async function openPage(context: BrowserContext, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (error) => errors.push(error.message));
  return page;
}

/** Full-page screenshots, numbered in the order taken, in `test-results/screenshots/{folder}/` (emptied first). */
export class Screenshots {
  private taken = 0;
  private readonly dir: string;

  constructor(folder: string) {
    this.dir = `test-results/screenshots/${folder}`;
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  async take(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
    const file = `${this.dir}/${String(++this.taken).padStart(2, '0')}-${name}.png`;
    await page.screenshot({ path: file, fullPage: options.fullPage ?? true, animations: 'disabled' });
  }
}
