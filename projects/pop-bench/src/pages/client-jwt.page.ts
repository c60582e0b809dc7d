import { HttpBackend, HttpClient, HttpEvent, HttpHeaders, HttpRequest, HttpResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { EnvironmentInjector, runInInjectionContext } from '@angular/core';
import { generateKeyPair as generateDpopKeyPair, generateProof } from 'dpop';
import { base64url, CompactSign, decodeJwt, decodeProtectedHeader } from 'jose';
import { ClientJwtBuilder, ClientJwtService, HmacKeyGenerator, NonceGenerator, popInterceptor, providePop } from 'pop-lib';
import { firstValueFrom, Observable, of } from 'rxjs';
import { serverKeyPair } from '../../../pop-lib/src/lib/testing/server-key-pairs';
import { makeJwt } from '../../../pop-lib/src/lib/testing/tokens';
import type { BenchPage } from '../bench/bench-page';
import { measure, ratio, report } from '../bench/measure';
import { json, notFound, StubBackend } from '../bench/stub-backend';

const BANK = 'https://bank.example/api';
const ACCOUNTS = `${BANK}/accounts?page=2`;
/** A server pop-lib is not configured for: its requests pass the interceptor with their bare token. */
const ELSEWHERE = 'https://elsewhere.example/api/accounts?page=2';
/** The Authorization header each host last received, to prove afterwards what was measured. */
const lastAuthorization = new Map<string, string | null>();

/**
 * ClientJWT per request, 1 KB access token, steady state (the HMAC key is registered, so no
 * `hmac_key`): the raw HMAC floor, jose alone, the builder, the service, the interceptor
 * (called directly, and through `HttpClient` to an in-memory backend) and a DPoP proof.
 */
export async function clientJwtPage(): Promise<BenchPage> {
  const server = await serverKeyPair('P-256', 'bank-enc-1');
  const backend = new StubBackend((request) => {
    if (request.url === `${BANK}/pop-keys.json`) return json(request, { keys: [server.publicJwk] }, { 'Cache-Control': 'max-age=3600' });
    const api = request.url.startsWith(`${BANK}/`) ? 'bank' : request.url.startsWith(ELSEWHERE) ? 'elsewhere' : undefined;
    if (api) {
      lastAuthorization.set(api, request.headers.get('Authorization'));
      return json(request, { balance: 1 });
    }
    return notFound(request);
  });
  return {
    providers: [
      providePop({ resourceServers: [{ baseUrl: BANK }] }),
      provideHttpClient(withInterceptors([popInterceptor])),
      { provide: HttpBackend, useValue: backend },
    ],
    run: (injector) => run(injector),
  };
}

async function run(injector: EnvironmentInjector): Promise<void> {
  const service = injector.get(ClientJwtService);
  const http = injector.get(HttpClient);
  const accessToken = await makeJwt({ sub: 'alice', aud: 'bank', scope: 'accounts:read '.repeat(55) });
  const bearer = new HttpHeaders({ Authorization: `Bearer ${accessToken}` });

  // The first request registers the HMAC key (carries hmac_key); the 200 marks it accepted.
  await firstValueFrom(http.get(ACCOUNTS, { headers: bearer }));
  const sample = await service.sign({ method: 'GET', url: ACCOUNTS, accessToken });
  if (sample.withHmacKey) throw new Error('Expected the steady state, but the ClientJWT still carries hmac_key.');
  const payloadBytes = base64url.decode(sample.jwt.split('.')[1] ?? '');
  const signingInput = new TextEncoder().encode(sample.jwt.slice(0, sample.jwt.lastIndexOf('.')));

  // A signing key as the library makes one: a fresh HS256 JWK imported non-extractable.
  const hmacJwk = await injector.get(HmacKeyGenerator).generateHmacKey();
  const signingKey = {
    kid: hmacJwk.kid,
    key: await crypto.subtle.importKey('jwk', { kty: 'oct', k: hmacJwk.k, alg: 'HS256' }, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
  };
  const nonces = new NonceGenerator();

  const request = new HttpRequest('GET', ACCOUNTS, null, { headers: bearer });
  const elsewhere = new HttpRequest('GET', ELSEWHERE, null, { headers: bearer });
  const response = new HttpResponse({ status: 200, url: ACCOUNTS });
  const next = (): Observable<HttpEvent<unknown>> => of(response);
  const intercept = (req: HttpRequest<unknown>) => firstValueFrom(runInInjectionContext(injector, () => popInterceptor(req, next)));
  const dpopKeys = await generateDpopKeyPair('ES256');

  // Same order as ever, so the groups stay comparable across versions.
  const floor = await measure('floor: crypto.subtle.sign HMAC + base64url', async () =>
    // The MAC alone over the same signing input, plus base64url of the tag.
    base64url.encode(new Uint8Array(await crypto.subtle.sign('HMAC', signingKey.key, signingInput))),
  );
  const jose = await measure('jose CompactSign over the pre-serialised payload', () =>
    // What jose alone costs per token: the same payload bytes, already serialised.
    new CompactSign(payloadBytes).setProtectedHeader({ alg: 'HS256', typ: 'client+jwt', kid: signingKey.kid }).sign(signingKey.key),
  );
  const builder = await measure('ClientJwtBuilder: claims + JSON + CompactSign', () =>
    new ClientJwtBuilder().withAccessToken(accessToken).withRequest('GET', ACCOUNTS).withNonceGenerator(nonces).build(signingKey),
  );
  const signed = await measure('ClientJwtService.sign (steady state)', () => service.sign({ method: 'GET', url: ACCOUNTS, accessToken }));
  const intercepted = await measure('popInterceptor per request (to a stub backend)', () => intercept(request));
  const dpop = await measure('peer: dpop generateProof ES256 (with ath)', () => generateProof(dpopKeys, `${BANK}/accounts`, 'GET', undefined, accessToken));
  const passed = await measure('popInterceptor, request to an unconfigured server (passes bare)', () => intercept(elsewhere));
  const bareHttp = await measure('HttpClient GET, bare bearer to an unconfigured server (stub backend)', () =>
    firstValueFrom(http.get(ELSEWHERE, { headers: bearer })),
  );
  const popHttp = await measure('HttpClient GET through popInterceptor (stub backend)', () => firstValueFrom(http.get(ACCOUNTS, { headers: bearer })));

  // What the timed loops sent: a ClientJWT to the bank, the bare token elsewhere.
  const toBank = lastAuthorization.get('bank')?.slice('Bearer '.length) ?? '';
  if (decodeProtectedHeader(toBank).typ !== 'client+jwt' || decodeJwt(toBank)['hmac_key'] !== undefined) {
    throw new Error('The bank did not receive steady-state ClientJWTs.');
  }
  if (lastAuthorization.get('elsewhere') !== `Bearer ${accessToken}`) throw new Error('The unconfigured server did not receive the bare token.');

  report('ClientJWT per request (1 KB access token)', [floor, jose, builder, signed, intercepted, dpop, passed, bareHttp, popHttp], {
    accessTokenChars: accessToken.length,
    clientJwtChars: sample.jwt.length,
    interceptorToFloor: ratio(intercepted.usPerOp, floor.usPerOp),
    serviceToFloor: ratio(signed.usPerOp, floor.usPerOp),
    joseToFloor: ratio(jose.usPerOp, floor.usPerOp),
    builderToFloor: ratio(builder.usPerOp, floor.usPerOp),
    dpopToInterceptor: ratio(dpop.usPerOp, intercepted.usPerOp),
    httpClientWithPopToBare: ratio(popHttp.usPerOp, bareHttp.usPerOp),
    popCostThroughHttpClientUs: Number((popHttp.usPerOp - bareHttp.usPerOp).toFixed(1)),
  });
}
