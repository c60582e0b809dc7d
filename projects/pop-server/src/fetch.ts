/**
 * Fetch API adapter (`pop-lib-server/fetch`) for runtimes and frameworks whose handlers take
 * a Web-standard `Request` and return a `Response`: Hono (`c.req.raw`), Next.js route
 * handlers, Bun, Deno, Cloudflare-style workers. It only maps requests to the verifier and
 * verifier errors to responses; every check lives in the framework-agnostic core.
 */
import { checkAdapterOptions, joinOriginAndTarget, type PopAdapterOptions } from './adapter-options.ts';
import { verificationErrorResponse } from './error-response.ts';
import { isVerificationError, type VerificationError } from './errors.ts';
import { popKeysResponse } from './pop-keys.ts';
import type { ServerKeys } from './server-keys.ts';
import type { VerifiedRequest, Verifier } from './verifier.ts';

export type PopFetchOptions = PopAdapterOptions<Request>;

/** A Fetch API handler that runs only for verified requests. */
export type PopFetchHandler<T> = (request: Request, pop: VerifiedRequest<T>) => Response | Promise<Response>;

/**
 * Wraps `handler`: the request's ClientJWT is verified first; a `VerificationError` becomes
 * its response (401, 503) and `handler` does not run; any other error is thrown on.
 *
 * ```ts
 * export const GET = withPop(verifier, (request, pop) => Response.json({ sub: pop.accessTokenClaims.sub }), { publicOrigin });
 * ```
 */
export function withPop<T>(verifier: Verifier<T>, handler: PopFetchHandler<T>, options: PopFetchOptions = {}): (request: Request) => Promise<Response> {
  const verify = fetchVerifier('withPop', verifier, options);
  return async (request) => {
    let pop: VerifiedRequest<T>;
    try {
      pop = await verify(request);
    } catch (e) {
      if (isVerificationError(e)) return verificationResponse(e);
      throw e;
    }
    return handler(request, pop);
  };
}

/**
 * The verification step alone, for frameworks with their own middleware chain: resolves
 * the verified request, rejects with the `VerificationError` (answer it with
 * `verificationResponse`).
 */
export function popFetch<T>(verifier: Verifier<T>, options: PopFetchOptions = {}): (request: Request) => Promise<VerifiedRequest<T>> {
  return fetchVerifier('popFetch', verifier, options);
}

/** The `Response` for a `VerificationError`: its status, `WWW-Authenticate` for 401s, `Retry-After` for 503s, a JSON body. */
export function verificationResponse(e: VerificationError): Response {
  const { status, headers, body } = verificationErrorResponse(e);
  return new Response(body, { status, headers });
}

/** `GET {baseUrl}/pop-keys.json`: the server's public encryption keys (e.g. `export const GET = popKeysHandler(keys)`). */
export function popKeysHandler(keys: ServerKeys, options: { maxAgeSeconds?: number } = {}): () => Response {
  return () => {
    const { status, headers, body } = popKeysResponse(keys, options);
    return new Response(body, { status, headers });
  };
}

function fetchVerifier<T>(adapter: string, verifier: Verifier<T>, options: PopFetchOptions): (request: Request) => Promise<VerifiedRequest<T>> {
  const { publicOrigin, requestUrl } = checkAdapterOptions<Request>(adapter, verifier, options);
  const urlOf = requestUrl ?? ((request: Request) => (publicOrigin ? withOrigin(publicOrigin, request.url) : request.url));
  return (request) => verifier.verify({ method: request.method, url: urlOf(request), authorization: request.headers.get('authorization') ?? undefined });
}

/** `publicOrigin` plus the path of the runtime's absolute `request.url`; empty when that does not parse. */
function withOrigin(publicOrigin: string, requestUrl: string): string {
  let pathname: string;
  try {
    pathname = new URL(requestUrl).pathname;
  } catch {
    return '';
  }
  return joinOriginAndTarget(publicOrigin, pathname) ?? '';
}
