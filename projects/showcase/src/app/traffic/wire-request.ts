import { HttpRequest } from '@angular/common/http';

/** An HTTP request as it leaves the browser: what any TLS-terminating hop can read and log. */
export interface WireRequest {
  method: string;
  /** Absolute URL. */
  url: string;
  /** Header names as set, in order; several values of one header are separate entries. */
  headers: [string, string][];
  body: string | null;
}

/** HttpClient's backends add this when the request sets no `Accept`. */
const DEFAULT_ACCEPT = 'application/json, text/plain, */*';

/** Captures a request at the end of the interceptor chain, with what HttpClient's backend adds. */
export function captureRequest(request: HttpRequest<unknown>): WireRequest {
  const headers: [string, string][] = [];
  for (const name of request.headers.keys()) {
    for (const value of request.headers.getAll(name) ?? []) headers.push([name, value]);
  }
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name.toLowerCase());
  if (!has('Accept')) headers.unshift(['Accept', DEFAULT_ACCEPT]);
  const contentType = request.detectContentTypeHeader();
  if (!has('Content-Type') && contentType) headers.push(['Content-Type', contentType]);
  return { method: request.method, url: new URL(request.urlWithParams, document.baseURI).href, headers, body: bodyText(request) };
}

function bodyText(request: HttpRequest<unknown>): string | null {
  const body = request.serializeBody();
  if (body === null) return null;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  return `[${body.constructor.name} body]`;
}

/** The request as a proxy's log would show it: request line, Host, headers, blank line, body. */
export function toHttpText(request: WireRequest): string {
  const url = new URL(request.url);
  const lines = [`${request.method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, ...request.headers.map(([name, value]) => `${name}: ${value}`)];
  return request.body === null ? lines.join('\n') : `${lines.join('\n')}\n\n${request.body}`;
}

/** The value of one header (first match, case-insensitive). */
export function headerOf(headers: readonly [string, string][], name: string): string | null {
  return headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1] ?? null;
}
