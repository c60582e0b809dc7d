import { HttpInterceptorFn } from '@angular/common/http';
import { inject, Injectable, signal } from '@angular/core';
import { decodeJwt, decodeProtectedHeader } from 'jose';

/** One ClientJWT as it left the browser, decoded for display. */
export interface CapturedClientJwt {
  method: string;
  url: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** Showcase only: the ClientJWTs sent in this tab, newest last. */
@Injectable({ providedIn: 'root' })
export class ClientJwtLog {
  private readonly list = signal<readonly CapturedClientJwt[]>([]);
  readonly entries = this.list.asReadonly();

  record(entry: CapturedClientJwt): void {
    this.list.update((entries) => [...entries.slice(-19), entry]);
  }
}

/**
 * Showcase only, listed after `popInterceptor`: sees the request as it goes to the network
 * and records the ClientJWT it carries. Apps do not need this.
 */
export const clientJwtCapture: HttpInterceptorFn = (request, next) => {
  const authorization = request.headers.get('Authorization');
  if (authorization?.startsWith('Bearer ')) {
    const jwt = authorization.slice('Bearer '.length);
    try {
      const header = decodeProtectedHeader(jwt) as Record<string, unknown>;
      if (header['typ'] === 'client+jwt') {
        inject(ClientJwtLog).record({ method: request.method, url: request.urlWithParams, header, payload: decodeJwt(jwt) as Record<string, unknown> });
      }
    } catch {
      // Not a JWT: nothing to show.
    }
  }
  return next(request);
};
