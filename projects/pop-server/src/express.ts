/**
 * Express 5 adapter (`pop-lib-server/express`): the ClientJWT middleware and the
 * pop-keys.json handler. It only maps Express requests to the verifier and verifier errors
 * to responses; every check lives in the framework-agnostic core.
 */
import type { Request, RequestHandler, Response } from 'express';
import { checkAdapterOptions, joinOriginAndTarget, originFromRequest, type PopAdapterOptions } from './adapter-options.ts';
import { verificationErrorResponse } from './error-response.ts';
import { isVerificationError, type VerificationError } from './errors.ts';
import { popKeysResponse } from './pop-keys.ts';
import type { ServerKeys } from './server-keys.ts';
import type { VerifiedRequest, Verifier } from './verifier.ts';

export type PopExpressOptions = PopAdapterOptions<Request>;

const RESULT = Symbol('pop-lib-server.result');

/**
 * Middleware that verifies the request's ClientJWT. On success `popResult(res)` holds the
 * outcome and the next handler runs; a `VerificationError` is answered (401, 503) and the
 * chain stops; any other error goes to Express's error handling.
 */
export function popExpress<T>(verifier: Verifier<T>, options: PopExpressOptions = {}): RequestHandler {
  const requestUrl = requestUrlOf(checkAdapterOptions<Request>('popExpress', verifier, options));
  return async (req, res, next) => {
    try {
      const result = await verifier.verify({ method: req.method, url: requestUrl(req), authorization: req.get('authorization') });
      res.locals[RESULT as unknown as string] = result;
      next();
    } catch (e) {
      if (isVerificationError(e)) sendVerificationError(res, e);
      else next(e);
    }
  };
}

/** The verified request stored by `popExpress`. Throws if the middleware did not run for this route. */
export function popResult<T>(res: Response): VerifiedRequest<T> {
  const result = res.locals[RESULT as unknown as string] as VerifiedRequest<T> | undefined;
  if (!result) throw new Error('pop-lib-server: popExpress middleware did not run for this route');
  return result;
}

/** Answers a `VerificationError`: its status, `WWW-Authenticate` for 401s, `Retry-After` for 503s, a JSON body. */
export function sendVerificationError(res: Response, e: VerificationError): void {
  const response = verificationErrorResponse(e);
  res.status(response.status).set(response.headers).send(response.body);
}

/** `GET {baseUrl}/pop-keys.json`: the server's public encryption keys. */
export function popKeysHandler(keys: ServerKeys, options: { maxAgeSeconds?: number } = {}): RequestHandler {
  return (_req, res) => {
    const response = popKeysResponse(keys, options);
    res.status(response.status).set(response.headers).send(response.body);
  };
}

/**
 * The absolute URL the client addressed: `requestUrl(req)`, else `publicOrigin` or the
 * request's own origin (`req.protocol` and `req.host`, which follow Express's `trust proxy`
 * setting) plus `req.originalUrl`'s path. An empty string when no URL can be formed, which
 * the verifier refuses like any other `htu` mismatch.
 */
function requestUrlOf(options: { publicOrigin: string | undefined; requestUrl: ((req: Request) => string) | undefined }): (req: Request) => string {
  const { publicOrigin, requestUrl } = options;
  if (requestUrl) return requestUrl;
  return (req) => joinOriginAndTarget(publicOrigin ?? originFromRequest(req.protocol, req.host), req.originalUrl) ?? '';
}
