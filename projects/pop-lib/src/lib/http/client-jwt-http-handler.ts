import {
  HttpErrorResponse,
  HttpEvent,
  HttpEventType,
  HttpHeaders,
  HttpRequest,
} from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { catchError, defer, from, Observable, switchMap, tap, throwError } from 'rxjs';
import { MAX_ACCESS_TOKEN_LENGTH, TOKEN_BOUND_TO_ANOTHER_KEY } from '../../protocol';
import { requireHtu, toHtm } from '../client-jwt/client-jwt-claims';
import { ClientJwtSigner, ClientJwtSigningRequest, SignedClientJwt } from '../client-jwt/client-jwt-signer';
import { TimestampGenerator } from '../client-jwt/timestamp-generator';
import { POP_TOKEN_PROVIDER } from '../config/token-provider';
import type { ResourceServerConfig } from '../config/pop-config';
import { ResourceServers } from '../config/resource-servers';
import { PopError } from '../errors/pop-error';
import { extractAccessToken, OAuthToken } from '../tokens/access-token';
import { assertBearerToken } from '../tokens/bearer-token';
import { bearerChallenge } from './bearer-challenge';
import { bearerTokenOf } from './bearer-header';
import { POP_BYPASS } from './pop-http-context';

type Next = (request: HttpRequest<unknown>) => Observable<HttpEvent<unknown>>;

/** What a request's ClientJWT wraps, and where the server's key hints come from. */
interface TokenToWrap {
  accessToken: string;
  oAuthToken: OAuthToken;
}

/**
 * Requests this library already signed. If the interceptor runs twice in a chain (functional
 * and class-based both registered), the second pass leaves them alone instead of wrapping
 * a ClientJWT into another one.
 */
const signedRequests = new WeakSet<HttpRequest<unknown>>();

/**
 * The ClientJWT interceptor's logic, shared by `popInterceptor` and `PopInterceptor`.
 *
 * Touches only requests whose URL belongs to a configured resource server with ClientJWTs
 * on; everything else passes unchanged. Wraps the `Authorization: Bearer` token (or, without
 * that header, the token provider's) into a ClientJWT; on `401` with
 * `Bearer error="unknown_hmac_key"` re-sends once with `hmac_key`; on `401` saying the token
 * is bound to another key, drops the key and fails with `token_bound_to_other_key`; learns the
 * server's clock from `Date`. If signing is impossible the request fails with a `PopError`:
 * it is never sent with the bare token.
 *
 * Per request: the URL is parsed once (the server lookup and `htu` share it), the bearer
 * token is checked once, and the signer gets both.
 */
@Injectable({ providedIn: 'root' })
export class ClientJwtHttpHandler {
  private readonly servers = inject(ResourceServers);
  private readonly provideToken = inject(POP_TOKEN_PROVIDER);
  private readonly signer = inject(ClientJwtSigner);
  private readonly timestamps = inject(TimestampGenerator);
  /** The provider's last token string and what it wraps: a string's claims never change. */
  private lastProvided?: { token: string; wrapped: TokenToWrap };

  handle(request: HttpRequest<unknown>, next: Next): Observable<HttpEvent<unknown>> {
    if (request.context.get(POP_BYPASS) || signedRequests.has(request)) return next(request);
    const target = this.servers.locate(request.urlWithParams);
    const server = target?.server;
    if (!target || !server || server.clientJwt === false) return next(request);
    return defer(() => {
      // The usual case (a Bearer header) is decided synchronously; only a token provider may be async.
      const fromHeader = bearerTokenOf(request.headers, MAX_ACCESS_TOKEN_LENGTH);
      if (fromHeader !== null) {
        return this.send(request, signingRequest(request, server, target.htu, { accessToken: fromHeader, oAuthToken: fromHeader }), next, true);
      }
      return from(this.providedToken(request, server)).pipe(
        switchMap((token) => (token ? this.send(request, signingRequest(request, server, target.htu, token), next, true) : next(request))),
      );
    });
  }

  private async providedToken(request: HttpRequest<unknown>, server: ResourceServerConfig): Promise<TokenToWrap | null> {
    // Another scheme (Basic, DPoP…) is the app's choice and not a bearer token: leave it.
    if (request.headers.has('Authorization')) return null;
    const provided = await this.provideToken(server);
    // '' is how some auth libraries (angular-auth-oidc-client) say "not logged in".
    if (provided === null || provided === undefined || provided === '') return null;
    if (typeof provided === 'string' && this.lastProvided?.token === provided) return this.lastProvided.wrapped;
    const accessToken = extractAccessToken(provided);
    // A wrapper may be larger than the access token inside it, which a ClientJWT limits further.
    assertBearerToken(accessToken, 'The access token', MAX_ACCESS_TOKEN_LENGTH);
    const wrapped = { accessToken, oAuthToken: provided };
    if (typeof provided === 'string') this.lastProvided = { token: provided, wrapped };
    return wrapped;
  }

  private send(request: HttpRequest<unknown>, signing: ClientJwtSigningRequest, next: Next, mayRetry: boolean): Observable<HttpEvent<unknown>> {
    // Signed on subscription: every (re)subscription is a new request with a new nonce.
    return defer(() => from(this.signer.sign(signing))).pipe(
      switchMap((signed) => {
        const signedRequest = request.clone({ setHeaders: { Authorization: `Bearer ${signed.jwt}` } });
        signedRequests.add(signedRequest);
        const { baseUrl } = signing.server;
        const sentAt = this.timestamps.now();
        return next(signedRequest).pipe(
          tap((event) => {
            if (event.type === HttpEventType.Response || event.type === HttpEventType.ResponseHeader) {
              this.learnClock(baseUrl, event.headers, sentAt);
              if (event.ok) this.signer.markAccepted(signed);
            }
          }),
          catchError((error: unknown) => {
            if (!(error instanceof HttpErrorResponse)) return throwError(() => error);
            this.learnClock(baseUrl, error.headers, sentAt);
            if (isBoundToAnotherKey(error)) return this.failBound(signed, error);
            if (mayRetry && isUnknownHmacKey(error)) {
              this.signer.markUnregistered(signed);
              return this.send(request, signing, next, false);
            }
            return throwError(() => error);
          }),
        );
      }),
    );
  }

  /** The token is bound to a key this browser no longer has: drop ours, tell the app (no retry). */
  private failBound(signed: SignedClientJwt, error: HttpErrorResponse): Observable<never> {
    const refused = new PopError(
      'token_bound_to_other_key',
      `${signed.baseUrl} refused the HMAC key: the access token is bound to another key (${error.status}, "${TOKEN_BOUND_TO_ANOTHER_KEY}"). Get a new access token.`,
      { cause: error },
    );
    return from(this.signer.dropKey(signed).catch(() => undefined)).pipe(switchMap(() => throwError(() => refused)));
  }

  private learnClock(baseUrl: string, headers: HttpHeaders | undefined, sentAt: number): void {
    this.timestamps.observeServerDate(baseUrl, headers?.get('Date') ?? null, sentAt, this.timestamps.now());
  }
}

/** What the signer needs; the `htu` comes from the URL parsed for the server lookup, not a second parse. */
function signingRequest(request: HttpRequest<unknown>, server: ResourceServerConfig, htu: string | undefined, token: TokenToWrap): ClientJwtSigningRequest {
  return { server, htm: toHtm(request.method), htu: requireHtu(htu), url: request.urlWithParams, accessToken: token.accessToken, oAuthToken: token.oAuthToken };
}

function isUnknownHmacKey(error: HttpErrorResponse): boolean {
  return error.status === 401 && bearerChallenge(error.headers?.get('WWW-Authenticate'))?.error === 'unknown_hmac_key';
}

/** `401`, `Bearer error="invalid_token"` with exactly the protocol's description (docs/protocol.md section 3). */
function isBoundToAnotherKey(error: HttpErrorResponse): boolean {
  if (error.status !== 401) return false;
  const challenge = bearerChallenge(error.headers?.get('WWW-Authenticate'));
  return challenge?.error === 'invalid_token' && challenge.errorDescription === TOKEN_BOUND_TO_ANOTHER_KEY;
}
