import {
  HttpErrorResponse,
  HttpEvent,
  HttpEventType,
  HttpHeaders,
  HttpRequest,
} from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { catchError, defer, from, Observable, switchMap, tap, throwError } from 'rxjs';
import { TOKEN_BOUND_TO_ANOTHER_KEY } from '../../protocol';
import { ClientJwtService, SignedClientJwt } from '../client-jwt/client-jwt.service';
import { TimestampGenerator } from '../client-jwt/timestamp-generator';
import { findResourceServer } from '../config/find-resource-server';
import { POP_BASE_URI } from '../config/page-base';
import { POP_TOKEN_PROVIDER } from '../config/token-provider';
import { POP_CONFIG, ResourceServerConfig } from '../config/pop-config';
import { PopError } from '../errors/pop-error';
import { extractAccessToken, OAuthToken } from '../tokens/access-token';
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
 */
@Injectable({ providedIn: 'root' })
export class ClientJwtHttpHandler {
  private readonly config = inject(POP_CONFIG);
  private readonly baseUri = inject(POP_BASE_URI);
  private readonly provideToken = inject(POP_TOKEN_PROVIDER);
  private readonly clientJwt = inject(ClientJwtService);
  private readonly timestamps = inject(TimestampGenerator);

  handle(request: HttpRequest<unknown>, next: Next): Observable<HttpEvent<unknown>> {
    if (request.context.get(POP_BYPASS) || signedRequests.has(request)) return next(request);
    const server = findResourceServer(this.config.resourceServers, request.urlWithParams, this.baseUri());
    if (!server || server.clientJwt === false) return next(request);
    return defer(() => {
      // The usual case (a Bearer header) is decided synchronously; only a token provider may be async.
      const fromHeader = bearerTokenOf(request.headers);
      if (fromHeader !== null) return this.send(request, server, { accessToken: fromHeader, oAuthToken: fromHeader }, next, true);
      return from(this.providedToken(request, server)).pipe(
        switchMap((token) => (token ? this.send(request, server, token, next, true) : next(request))),
      );
    });
  }

  private async providedToken(request: HttpRequest<unknown>, server: ResourceServerConfig): Promise<TokenToWrap | null> {
    // Another scheme (Basic, DPoP…) is the app's choice and not a bearer token: leave it.
    if (request.headers.has('Authorization')) return null;
    const provided = await this.provideToken(server);
    if (provided === null || provided === undefined) return null;
    return { accessToken: extractAccessToken(provided), oAuthToken: provided };
  }

  private send(
    request: HttpRequest<unknown>,
    server: ResourceServerConfig,
    token: TokenToWrap,
    next: Next,
    mayRetry: boolean,
  ): Observable<HttpEvent<unknown>> {
    // Signed on subscription: every (re)subscription is a new request with a new nonce.
    return defer(() =>
      from(this.clientJwt.sign({ method: request.method, url: request.urlWithParams, ...token })),
    ).pipe(
      switchMap((signed) => {
        const signedRequest = request.clone({ setHeaders: { Authorization: `Bearer ${signed.jwt}` } });
        signedRequests.add(signedRequest);
        const sentAt = this.timestamps.now();
        return next(signedRequest).pipe(
          tap((event) => {
            if (event.type === HttpEventType.Response || event.type === HttpEventType.ResponseHeader) {
              this.learnClock(server, event.headers, sentAt);
              if (event.ok) this.clientJwt.markAccepted(signed);
            }
          }),
          catchError((error: unknown) => {
            if (!(error instanceof HttpErrorResponse)) return throwError(() => error);
            this.learnClock(server, error.headers, sentAt);
            if (isBoundToAnotherKey(error)) return this.failBound(signed, error);
            if (mayRetry && isUnknownHmacKey(error)) {
              this.clientJwt.markUnregistered(signed);
              return this.send(request, server, token, next, false);
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
    return from(this.clientJwt.dropKey(signed).catch(() => undefined)).pipe(switchMap(() => throwError(() => refused)));
  }

  private learnClock(server: ResourceServerConfig, headers: HttpHeaders | undefined, sentAt: number): void {
    this.timestamps.observeServerDate(server.baseUrl, headers?.get('Date') ?? null, sentAt, this.timestamps.now());
  }
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

