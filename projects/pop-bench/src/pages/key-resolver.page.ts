import { HttpBackend, HttpRequest, provideHttpClient, withInterceptors } from '@angular/common/http';
import { EnvironmentInjector } from '@angular/core';
import { JwksCacheService, KeyResolverService, popInterceptor, providePop } from 'pop-lib';
import { delay, of } from 'rxjs';
import { KeyBag } from '../../../pop-lib/src/lib/keys/key-bag';
import { publicEncryptionJwk } from '../../../pop-lib/src/lib/testing/keys';
import { makeJwt } from '../../../pop-lib/src/lib/testing/tokens';
import type { BenchPage } from '../bench/bench-page';
import { measure, report } from '../bench/measure';
import { json, notFound, StubBackend } from '../bench/stub-backend';

const BANK = 'https://bank.example/api';
/** The in-memory server answers the JWKS 5 ms later, so concurrent cold resolves overlap. */
const JWKS_DELAY_MS = 5;

/** Cached `KeyResolverService.resolve`, and how many HTTP requests N concurrent cold resolves cause. */
export async function keyResolverPage(): Promise<BenchPage> {
  const jwks = { keys: [await publicEncryptionJwk({ kid: 'old', use: 'enc' }), await publicEncryptionJwk({ kid: 'k1', use: 'enc' })] };
  const backend = new StubBackend((request: HttpRequest<unknown>) =>
    request.url === `${BANK}/pop-keys.json` ? of(json(request, jwks)).pipe(delay(JWKS_DELAY_MS)) : notFound(request),
  );
  return {
    providers: [
      providePop({ resourceServers: [{ baseUrl: BANK }] }),
      provideHttpClient(withInterceptors([popInterceptor])),
      { provide: HttpBackend, useValue: backend },
    ],
    run: (injector) => run(injector, backend),
  };
}

async function run(injector: EnvironmentInjector, backend: StubBackend): Promise<void> {
  const resolver = injector.get(KeyResolverService);
  const cache = injector.get(JwksCacheService);

  // Same-run baselines: a plain Map read, and the library's key bag lookup alone (internal).
  const map = new Map([[`${BANK}/k1/enc`, 'key']]);
  const bag = new KeyBag<string>();
  bag.replace(BANK, [
    { kid: 'old', use: 'enc', value: 'a' },
    { kid: 'k1', use: 'enc', value: 'b' },
  ]);
  const mapRow = await measure('Map.get (baseline)', () => map.get(`${BANK}/k1/enc`));
  const asyncRow = await measure('async no-op (the await every resolve pays)', async () => map.get(`${BANK}/k1/enc`));
  const bagRow = await measure('KeyBag.lookup (warm)', () => bag.lookup(BANK, 'k1', 'enc'));

  await resolver.resolve({ url: `${BANK}/pin` });
  const jwksRow = await measure('resolve, {baseUrl}/pop-keys.json cached', () => resolver.resolve({ url: `${BANK}/pin` }));
  const token = await makeJwt({ sub: 'alice', exp: 2_000_000_000, cnf: { jwk: await publicEncryptionJwk({ kid: 'cnf' }) } });
  await resolver.resolve({ url: `${BANK}/pin`, oAuthToken: token });
  const cnfRow = await measure('resolve, cnf.jwk in token (parse + memo)', () => resolver.resolve({ url: `${BANK}/pin`, oAuthToken: token }));

  const concurrency: Record<string, number> = {};
  for (const n of [10, 100, 1000]) {
    cache.clear();
    backend.requests = 0;
    await Promise.all(Array.from({ length: n }, () => resolver.resolve({ url: `${BANK}/pin` })));
    concurrency[`httpRequestsFor${n}ConcurrentColdResolves`] = backend.requests;
  }
  report('KeyResolverService.resolve (warm)', [mapRow, asyncRow, bagRow, jwksRow, cnfRow], concurrency);
}
