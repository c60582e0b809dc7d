import { HttpBackend, HttpClient, HttpEvent, HttpHeaders, HttpRequest, HttpResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { EnvironmentInjector, runInInjectionContext } from '@angular/core';
import { generateKeyPair as generateDpopKeyPair, generateProof } from 'dpop';
import { base64url, CompactSign, decodeJwt, decodeProtectedHeader } from 'jose';
import { ClientJwtBuilder, ClientJwtService, HmacKeyGenerator, NonceGenerator, popInterceptor, providePop } from 'pop-lib';
import { firstValueFrom, Observable, of } from 'rxjs';
import { serverKeyPair } from '../../../pop-lib/src/lib/testing/server-key-pairs';
import { makeJwt } from '../../../pop-lib/src/lib/testing/tokens';
import type { BenchPage } from '../bench/bench-page';
import { measureInRounds, report } from '../bench/measure';
import { json, notFound, StubBackend } from '../bench/stub-backend';

const BANK = 'https://bank.example/api';
const ACCOUNTS = `${BANK}/accounts?page=2`;
/** A server pop-lib is not configured for: its requests pass the interceptor with their bare token. */
const ELSEWHERE = 'https://elsewhere.example/api/accounts?page=2';
/** The Authorization header each host last received, to prove afterwards what was measured. */
const lastAuthorization = new Map<string, string | null>();

/**
 * ClientJWT per request, 1 KB access token, steady state (the HMAC key is registered, so no
 * `hmac_key`): the raw HMAC floor, jose alone (the payload pre-serialised, and the claims
 * serialised per call: the least a jose-signed ClientJWT costs), the builder, the service, the
 * interceptor (called directly, and through `HttpClient` to an in-memory backend) and a DPoP
 * proof, measured in interleaved rounds.
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

  // Steady-state claims, for a JWS of the same payload with a fresh nonce and nothing else.
  const claims = JSON.parse(new TextDecoder().decode(payloadBytes)) as Record<string, unknown>;
  const header = { alg: 'HS256', typ: 'client+jwt', kid: signingKey.kid };
  const encoder = new TextEncoder();

  // In interleaved rounds, in the same order as ever, so the groups stay comparable across versions.
  const { results, ratio: ratioOf } = await measureInRounds([
    // The MAC alone over the same signing input, plus base64url of the tag.
    { name: 'floor: crypto.subtle.sign HMAC + base64url', fn: async () => base64url.encode(new Uint8Array(await crypto.subtle.sign('HMAC', signingKey.key, signingInput))) },
    // What jose alone costs per token: the same payload bytes, already serialised.
    { name: 'jose CompactSign over the pre-serialised payload', fn: () => new CompactSign(payloadBytes).setProtectedHeader(header).sign(signingKey.key) },
    // The least any jose-signed ClientJWT costs: these claims with a fresh nonce, JSON, UTF-8, CompactSign.
    {
      name: 'jose CompactSign of the claims (fresh nonce, JSON, UTF-8)',
      fn: () => {
        claims['nonce'] = nonces.generateNonce();
        return new CompactSign(encoder.encode(JSON.stringify(claims))).setProtectedHeader(header).sign(signingKey.key);
      },
    },
    { name: 'ClientJwtBuilder: claims + JSON + CompactSign', fn: () => new ClientJwtBuilder().withAccessToken(accessToken).withRequest('GET', ACCOUNTS).withNonceGenerator(nonces).build(signingKey) },
    { name: 'ClientJwtService.sign (steady state)', fn: () => service.sign({ method: 'GET', url: ACCOUNTS, accessToken }) },
    { name: 'popInterceptor per request (to a stub backend)', fn: () => intercept(request) },
    { name: 'peer: dpop generateProof ES256 (with ath)', fn: () => generateProof(dpopKeys, `${BANK}/accounts`, 'GET', undefined, accessToken) },
    { name: 'popInterceptor, request to an unconfigured server (passes bare)', fn: () => intercept(elsewhere) },
    { name: 'HttpClient GET, bare bearer to an unconfigured server (stub backend)', fn: () => firstValueFrom(http.get(ELSEWHERE, { headers: bearer })) },
    { name: 'HttpClient GET through popInterceptor (stub backend)', fn: () => firstValueFrom(http.get(ACCOUNTS, { headers: bearer })) },
  ]);
  const [floor, jose, joseClaims, builder, signed, intercepted, dpop, , bareHttp, popHttp] = results;

  // What the timed loops sent: a ClientJWT to the bank, the bare token elsewhere.
  const toBank = lastAuthorization.get('bank')?.slice('Bearer '.length) ?? '';
  if (decodeProtectedHeader(toBank).typ !== 'client+jwt' || decodeJwt(toBank)['hmac_key'] !== undefined) {
    throw new Error('The bank did not receive steady-state ClientJWTs.');
  }
  if (lastAuthorization.get('elsewhere') !== `Bearer ${accessToken}`) throw new Error('The unconfigured server did not receive the bare token.');

  report(
    'ClientJWT per request (1 KB access token)',
    results,
    {
      accessTokenChars: accessToken.length,
      clientJwtChars: sample.jwt.length,
      interceptorToFloor: ratioOf(intercepted, floor),
      serviceToFloor: ratioOf(signed, floor),
      joseToFloor: ratioOf(jose, floor),
      joseClaimsToFloor: ratioOf(joseClaims, floor),
      builderToFloor: ratioOf(builder, floor),
      interceptorToJoseClaims: ratioOf(intercepted, joseClaims),
      dpopToInterceptor: ratioOf(dpop, intercepted),
      httpClientWithPopToBare: ratioOf(popHttp, bareHttp),
      popCostThroughHttpClientUs: Number((popHttp.usPerOp - bareHttp.usPerOp).toFixed(1)),
      // The targets: at most 50 µs per request, at least 2.5x faster than a DPoP proof.
      targets: { interceptorUsAtMost: 50, interceptorUs: Number(intercepted.usPerOp.toFixed(1)), dpopToInterceptorAtLeast: 2.5 },
    },
    ratioOf,
  );
}
