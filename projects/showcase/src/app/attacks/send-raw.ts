import type { WireRequest } from '../traffic/wire-request';
import { readFetchResponse, type WireResponse } from '../traffic/wire-response';

/**
 * Sends a request as given, with `fetch`: no HttpClient, so no interceptor (neither the auth
 * library's nor pop-lib's) touches it, and without cookies, as from another machine.
 */
export async function sendRaw(request: WireRequest): Promise<WireResponse> {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    credentials: 'omit',
    cache: 'no-store',
  });
  return readFetchResponse(response);
}
