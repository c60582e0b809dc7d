/**
 * The benchmark application (production build: AOT, optimised, esbuild). Each path is one
 * page that bootstraps its own application with the library's public API, runs its
 * measurements and prints `BENCH {json}` lines; scripts/bench-browser.mjs drives the pages
 * in Chromium. `BENCH-DONE` ends a page, `BENCH-ERROR …` fails it.
 */
import './bench/script-start';
import { Component } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import type { BenchPage } from './bench/bench-page';

@Component({ selector: 'bench-root', template: 'pop-lib benchmarks' })
class BenchStatus {}

const pages: Record<string, () => Promise<BenchPage>> = {
  '/client-jwt': () => import('./pages/client-jwt.page').then((m) => m.clientJwtPage()),
  '/encryption': () => import('./pages/encryption.page').then((m) => m.encryptionPage()),
  '/key-resolver': () => import('./pages/key-resolver.page').then((m) => m.keyResolverPage()),
  '/read-claims': () => import('./pages/read-claims.page').then((m) => m.readClaimsPage()),
  '/first-request': () => import('./pages/first-request.page').then((m) => m.firstRequestPage()),
};

async function main(): Promise<void> {
  const open = pages[location.pathname];
  if (!open) throw new Error(`No benchmark page at ${location.pathname}; pages: ${Object.keys(pages).join(', ')}`);
  const page = await open();
  const app = await bootstrapApplication(page.component ?? BenchStatus, { providers: page.providers });
  if (page.run) {
    await page.run(app.injector);
    console.log('BENCH-DONE');
  }
}

main().catch((error: unknown) => console.log(`BENCH-ERROR ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
