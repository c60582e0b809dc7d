/**
 * Express 5 adapters: the ClientJWT middleware and the pop-keys.json handler. Everything
 * security-relevant lives in the framework-agnostic core; this file only maps to Express.
 */
import type { Request, RequestHandler, Response } from 'express';
import { isVerificationError, type VerificationError } from './errors.ts';
import { popKeysResponse } from './pop-keys.ts';
import type { ServerKeys } from './server-keys.ts';
import type { VerifiedRequest, Verifier } from './verifier.ts';

export interface PopExpressOptions {
  /**
   * The absolute URL the client addressed, compared with the ClientJWT's `htu`. Default:
   * `publicOrigin` (if set) or `req.protocol://Host`, plus `req.originalUrl`. Set
   * `publicOrigin` in production behind a proxy so the check never trusts the Host header.
   */
  requestUrl?: (req: Request) => string;
  publicOrigin?: string;
}

const RESULT = Symbol('pop-server.result');

/** Verifies the ClientJWT; on success `popResult(res)` holds the outcome, on failure answers 401. */
export function popExpress<T>(verifier: Verifier<T>, options: PopExpressOptions = {}): RequestHandler {
  const requestUrl = options.requestUrl ?? defaultRequestUrl(options.publicOrigin);
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

/** The verified request stored by `popExpress`. Throws if the middleware did not run. */
export function popResult<T>(res: Response): VerifiedRequest<T> {
  const result = res.locals[RESULT as unknown as string] as VerifiedRequest<T> | undefined;
  if (!result) throw new Error('pop-server: popExpress middleware did not run for this route');
  return result;
}

/** Answers a `VerificationError`: status, `WWW-Authenticate` for 401s, a JSON body. */
export function sendVerificationError(res: Response, e: VerificationError): void {
  if (e.status === 401) res.set('WWW-Authenticate', e.wwwAuthenticate);
  if (e.status === 503) res.set('Retry-After', '1');
  res.set('Cache-Control', 'no-store');
  res.status(e.status).json({ error: e.error, error_description: e.description });
}

/** `GET {base_url}/pop-keys.json`. */
export function popKeysHandler(keys: ServerKeys, options: { maxAgeSeconds?: number } = {}): RequestHandler {
  return (_req, res) => {
    const response = popKeysResponse(keys, options);
    res.status(response.status).set(response.headers).send(response.body);
  };
}

function defaultRequestUrl(publicOrigin: string | undefined): (req: Request) => string {
  return (req) => {
    const origin = publicOrigin ?? `${req.protocol}://${req.get('host') ?? 'invalid.host'}`;
    const path = req.originalUrl.split('?')[0] ?? '/';
    return origin.replace(/\/$/, '') + path;
  };
}
