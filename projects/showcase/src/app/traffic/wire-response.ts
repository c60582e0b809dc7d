import { HttpErrorResponse, HttpResponse } from '@angular/common/http';

/** The parts of a response the showcase shows: status, the headers pop-lib reads, the body. */
export interface WireResponse {
  status: number;
  statusText: string;
  /** `WWW-Authenticate` and `Date` (the two headers pop-lib's interceptor reads), `Content-Type`. */
  headers: [string, string][];
  body: unknown;
}

const SHOWN_HEADERS = ['WWW-Authenticate', 'Date', 'Content-Type'];

export function captureResponse(response: HttpResponse<unknown> | HttpErrorResponse): WireResponse {
  const body = response instanceof HttpErrorResponse ? response.error : response.body;
  return {
    status: response.status,
    statusText: response.statusText,
    headers: shownHeaders(response.headers),
    // A ProgressEvent (network failure) or Blob does not survive JSON: keep a description.
    body: body === null || typeof body !== 'object' || body.constructor === Object || Array.isArray(body) ? body : String(body),
  };
}

/** From a `fetch` Response (the replay and attack requests, which bypass HttpClient). */
export async function readFetchResponse(response: Response): Promise<WireResponse> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, statusText: response.statusText, headers: shownHeaders(response.headers), body };
}

/** Angular's `HttpHeaders` or fetch's `Headers`. */
function shownHeaders(headers: { get(name: string): string | null }): [string, string][] {
  return SHOWN_HEADERS.flatMap((name) => {
    const value = headers.get(name);
    return value === null ? [] : [[name, value] as [string, string]];
  });
}
