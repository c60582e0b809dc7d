import { HttpInterceptorFn, HttpResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { delay, of } from 'rxjs';
import { providePop } from '../config/provide-pop';
import { measure, report } from '../testing/bench';
import { jwksBody, publicEncryptionJwk } from '../testing/keys';
import { makeJwt } from '../testing/tokens';
import { KeyBag } from './key-bag';
import { JwksCacheService } from './jwks-cache.service';
import { KeyResolverService } from './key-resolver.service';

const BANK = 'https://bank.example/api';

describe('bench: KeyResolverService', () => {
  it('cached resolve, and HTTP requests caused by N concurrent cold resolves', async () => {
    const jwks = jwksBody(await publicEncryptionJwk({ kid: 'old', use: 'enc' }), await publicEncryptionJwk({ kid: 'k1', use: 'enc' }));
    let requests = 0;
    // A fake server 5 ms away, counting what reaches it.
    const server: HttpInterceptorFn = (req) => {
      requests++;
      return of(new HttpResponse({ url: req.url, status: 200, body: jwks })).pipe(delay(5));
    };
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([server])), providePop({ resourceServers: [{ baseUrl: BANK }] })],
    });
    const resolver = TestBed.inject(KeyResolverService);
    const cache = TestBed.inject(JwksCacheService);

    // Same-run baselines: a plain Map read, and the key bag lookup alone.
    const map = new Map([[`${BANK}/k1/enc`, 'key']]);
    const bag = new KeyBag<string>();
    bag.replace(BANK, [{ kid: 'old', use: 'enc', value: 'a' }, { kid: 'k1', use: 'enc', value: 'b' }]);
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
      requests = 0;
      await Promise.all(Array.from({ length: n }, () => resolver.resolve({ url: `${BANK}/pin` })));
      concurrency[`httpRequestsFor${n}ConcurrentColdResolves`] = requests;
    }
    report('KeyResolverService.resolve (warm)', [mapRow, asyncRow, bagRow, jwksRow, cnfRow], concurrency);
    expect(concurrency['httpRequestsFor1000ConcurrentColdResolves']).toBe(1);
  }, 60_000);
});
