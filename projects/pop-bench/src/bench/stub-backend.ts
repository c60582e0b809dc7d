import { HttpBackend, HttpErrorResponse, HttpEvent, HttpHeaders, HttpRequest, HttpResponse } from '@angular/common/http';
import { Observable, of, throwError } from 'rxjs';

/** What the in-memory server answers: a response, or an Observable of one (delayed, or an error). */
export type StubRoute = (request: HttpRequest<unknown>) => HttpResponse<unknown> | Observable<HttpEvent<unknown>>;

/**
 * Replaces Angular's `HttpBackend`: every request is answered in memory by `route`, at once
 * unless the route delays, so no network time enters a measurement. Counts what reaches it.
 */
export class StubBackend implements HttpBackend {
  requests = 0;

  constructor(private readonly route: StubRoute) {}

  handle(request: HttpRequest<unknown>): Observable<HttpEvent<unknown>> {
    this.requests++;
    const answer = this.route(request);
    return answer instanceof HttpResponse ? of(answer) : answer;
  }
}

/** A 200 JSON response to `request`, as text when the request asked for text (as a real backend would). */
export function json(request: HttpRequest<unknown>, body: unknown, headers: Record<string, string> = {}): HttpResponse<unknown> {
  return new HttpResponse({
    url: request.urlWithParams,
    status: 200,
    statusText: 'OK',
    body: request.responseType === 'text' ? JSON.stringify(body) : body,
    headers: new HttpHeaders({ 'Content-Type': 'application/json', ...headers }),
  });
}

/** 404 for anything a page did not expect: a wrong URL fails the page loudly instead of passing as 200. */
export function notFound(request: HttpRequest<unknown>): Observable<never> {
  return throwError(() => new HttpErrorResponse({ url: request.urlWithParams, status: 404, statusText: 'Not Found' }));
}
