import { HttpErrorResponse, HttpEventType, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { tap } from 'rxjs';
import { RequestLog } from './request-log';
import { captureRequest } from './wire-request';
import { captureResponse } from './wire-response';

/**
 * Showcase only, listed LAST, after `popInterceptor`: records each request to the bank, and the
 * provider's login and token calls, exactly as it goes to the network, with its response.
 * Applications do not need this.
 */
export const wireCapture: HttpInterceptorFn = (request, next) => {
  if (!isPartOfTheStory(request.method, request.urlWithParams)) return next(request);
  const log = inject(RequestLog);
  const id = log.record(captureRequest(request));
  return next(request).pipe(
    tap({
      next: (event) => {
        if (event.type === HttpEventType.Response) log.complete(id, captureResponse(event));
      },
      error: (error: unknown) => {
        if (error instanceof HttpErrorResponse) log.complete(id, captureResponse(error));
      },
    }),
  );
};

/** The bank's API calls and the provider's POSTs (login, token); not key and discovery documents. */
export function isPartOfTheStory(method: string, url: string): boolean {
  const target = new URL(url, document.baseURI);
  if (target.origin !== new URL(document.baseURI).origin) return false;
  if (target.pathname.startsWith('/api/')) return !target.pathname.endsWith('/pop-keys.json');
  return target.pathname.startsWith('/idp/') && method === 'POST';
}
