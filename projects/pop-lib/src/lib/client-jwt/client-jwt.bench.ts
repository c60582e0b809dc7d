import { HttpEvent, HttpRequest, HttpResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { generateKeyPair as generateDpopKeyPair, generateProof } from 'dpop';
import { base64url, CompactSign } from 'jose';
import { firstValueFrom, Observable, of } from 'rxjs';
import { providePop } from '../config/provide-pop';
import { ClientJwtHttpHandler } from '../http/client-jwt-http-handler';
import { KeyResolverService } from '../keys/key-resolver.service';
import { measure, report } from '../testing/bench';
import { makeServerKey } from '../testing/resource-server-keys';
import { makeJwt } from '../testing/tokens';
import { ClientJwtBuilder } from './client-jwt-builder';
import { ClientJwtService } from './client-jwt.service';
import { generateHmacJwk, toSigningKey } from './hmac-key';
import { NonceGenerator } from './nonce-generator';

const BANK = 'https://bank.example/api';
const URL_ = `${BANK}/accounts?page=2`;

describe('bench: ClientJWT per request', () => {
  it('builds and signs a ClientJWT (1 KB access token) next to raw HMAC and a DPoP proof', async () => {
    const server = await makeServerKey(BANK);
    TestBed.configureTestingModule({
      providers: [
        providePop({ resourceServers: [{ baseUrl: BANK }] }),
        { provide: KeyResolverService, useValue: { resolve: () => Promise.resolve(server.resolved) } },
      ],
    });
    const service = TestBed.inject(ClientJwtService);
    const handler = TestBed.inject(ClientJwtHttpHandler);
    const accessToken = await makeJwt({ sub: 'alice', aud: 'bank', scope: 'accounts:read '.repeat(55) });
    const signingKey = await toSigningKey(await generateHmacJwk());
    const nonces = new NonceGenerator();

    // Steady state: the key is registered, so requests carry no hmac_key.
    const first = await service.sign({ method: 'GET', url: URL_, accessToken });
    service.markAccepted(first);
    const sample = (await service.sign({ method: 'GET', url: URL_, accessToken })).jwt;
    const signingInput = new TextEncoder().encode(sample.slice(0, sample.lastIndexOf('.')));
    const payloadBytes = base64url.decode(sample.split('.')[1] ?? '');

    const request = new HttpRequest('GET', URL_, null, { headers: undefined }).clone({ setHeaders: { Authorization: `Bearer ${accessToken}` } });
    const response = new HttpResponse({ status: 200 });
    const next = (): Observable<HttpEvent<unknown>> => of(response);
    const dpopKeys = await generateDpopKeyPair('ES256');

    const results = [
      // Floor: the MAC alone over the same signing input, plus base64url of the tag.
      await measure('floor: crypto.subtle.sign HMAC + base64url', async () =>
        base64url.encode(new Uint8Array(await crypto.subtle.sign('HMAC', signingKey.key, signingInput))),
      ),
      // What jose alone costs per token: the same payload bytes, already serialised.
      await measure('jose CompactSign over the pre-serialised payload', () =>
        new CompactSign(payloadBytes).setProtectedHeader({ alg: 'HS256', typ: 'client+jwt', kid: signingKey.kid }).sign(signingKey.key),
      ),
      await measure('ClientJwtBuilder: claims + JSON + CompactSign', () =>
        new ClientJwtBuilder().withAccessToken(accessToken).withRequest('GET', URL_).withNonceGenerator(nonces).build(signingKey),
      ),
      await measure('ClientJwtService.sign (steady state)', () => service.sign({ method: 'GET', url: URL_, accessToken })),
      await measure('popInterceptor per request (to a stub backend)', () => firstValueFrom(handler.handle(request, next))),
      await measure('peer: dpop generateProof ES256 (with ath)', () => generateProof(dpopKeys, `${BANK}/accounts`, 'GET', undefined, accessToken)),
    ];
    const [floor, jose, builder, signed, intercepted, dpop] = results.map((r) => r.usPerOp) as [number, number, number, number, number, number];
    report('ClientJWT per request (1 KB access token)', results, {
      accessTokenChars: accessToken.length,
      clientJwtChars: sample.length,
      interceptorToFloor: Number((intercepted / floor).toFixed(2)),
      serviceToFloor: Number((signed / floor).toFixed(2)),
      joseToFloor: Number((jose / floor).toFixed(2)),
      builderToFloor: Number((builder / floor).toFixed(2)),
      dpopToInterceptor: Number((dpop / intercepted).toFixed(2)),
    });
    expect(results.every((r) => r.samples > 0)).toBeTrue();
  });
});
