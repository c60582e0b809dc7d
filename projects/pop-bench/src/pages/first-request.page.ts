import { HttpBackend, HttpClient, HttpInterceptorFn, HttpRequest, provideHttpClient, withInterceptors } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import type { JWK } from 'jose';
import { popInterceptor, providePop } from 'pop-lib';
import type { BenchPage } from '../bench/bench-page';
import { SCRIPT_START_MS } from '../bench/script-start';
import { json, notFound, StubBackend } from '../bench/stub-backend';

/** Set by the runner before the page's scripts run, so no key or token is made on the clock. */
interface Fixtures {
  accessToken: string;
  serverJwk: JWK;
}

const BANK = 'https://bank.example/api';
const ELSEWHERE = 'https://elsewhere.example/api';

/**
 * Time from navigation start (and from the app script's start, and from the moment the app
 * issued the request) to the first request reaching the backend, for an app that calls its
 * API as soon as it starts. `/first-request`: to a configured resource server, so a signed
 * request (first visit: key resolution, HMAC key generation and encryption). With `?bare`: the
 * same app and bundle, the request to an unconfigured server, so the bare token (the app's own
 * start-up cost). The runner loads the page for a first visit, a reload and a second tab.
 */
export async function firstRequestPage(): Promise<BenchPage> {
  const fixtures = (globalThis as { popBenchFixtures?: Fixtures }).popBenchFixtures;
  if (!fixtures) throw new Error('The runner did not set popBenchFixtures.');
  // When the app's request entered the interceptor chain: what follows until the backend is
  // pop-lib's work for the first request (key resolution, HMAC key, encryption, signing).
  let issuedAt: number | undefined;
  const authInterceptor: HttpInterceptorFn = (request, next) => {
    if (request.url.endsWith('/accounts')) issuedAt ??= performance.now();
    return next(request.clone({ setHeaders: { Authorization: `Bearer ${fixtures.accessToken}` } }));
  };
  const backend = new StubBackend((request: HttpRequest<unknown>) => {
    if (request.url === `${BANK}/pop-keys.json`) return json(request, { keys: [fixtures.serverJwk] });
    if (request.url === `${BANK}/accounts` || request.url === `${ELSEWHERE}/accounts`) {
      const ms = performance.now();
      const scriptMs = ms - SCRIPT_START_MS;
      const chainMs = ms - (issuedAt ?? Number.NaN);
      const authorization = request.headers.get('Authorization');
      console.log(`BENCH-FIRST-REQUEST ${JSON.stringify({ ms, scriptMs, chainMs, url: request.url, authorization })}`);
      return json(request, { balance: 1 });
    }
    return notFound(request);
  });
  return {
    component: Accounts,
    providers: [
      providePop({ resourceServers: [{ baseUrl: BANK }] }),
      provideHttpClient(withInterceptors([authInterceptor, popInterceptor])),
      { provide: HttpBackend, useValue: backend },
    ],
  };
}

@Component({ selector: 'bench-root', template: '{{ status() }}' })
class Accounts {
  protected readonly status = signal('loading');

  constructor() {
    const api = new URLSearchParams(location.search).has('bare') ? ELSEWHERE : BANK;
    inject(HttpClient)
      .get(`${api}/accounts`)
      .subscribe({
        next: () => this.status.set('loaded'),
        error: (error: unknown) => console.log(`BENCH-ERROR ${error instanceof Error ? error.message : String(error)}`),
      });
  }
}
