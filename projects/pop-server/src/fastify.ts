/**
 * Fastify 5 adapter (`pop-lib-server/fastify`): a hook that verifies the ClientJWT and a
 * pop-keys.json route handler. It only maps Fastify requests to the verifier and verifier
 * errors to replies; every check lives in the framework-agnostic core.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { checkAdapterOptions, requestUrlOf, type PopAdapterOptions } from './adapter-options.ts';
import { verificationErrorResponse } from './error-response.ts';
import { isVerificationError, type VerificationError } from './errors.ts';
import { popKeysResponse } from './pop-keys.ts';
import type { ServerKeys } from './server-keys.ts';
import type { VerifiedRequest, Verifier } from './verifier.ts';

export type PopFastifyOptions = PopAdapterOptions<FastifyRequest>;

/** Verified requests by request object: no request decoration, nothing kept after the request. */
const results = new WeakMap<FastifyRequest, VerifiedRequest<unknown>>();

/**
 * An `onRequest` (or `preHandler`) hook that verifies the request's ClientJWT: for one route
 * (`{ onRequest: popFastify(verifier) }`) or all routes of a context
 * (`app.addHook('onRequest', popFastify(verifier))`). On success `popResult(request)` holds
 * the outcome; a `VerificationError` is answered (401, 503) and the route handler does not
 * run; any other error goes to Fastify's error handler. As an `onRequest` hook it runs
 * before the body is read.
 */
export function popFastify<T>(
  verifier: Verifier<T>,
  options: PopFastifyOptions = {},
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  const requestUrl = requestUrlOf(checkAdapterOptions<FastifyRequest>('popFastify', verifier, options));
  return async (request, reply) => {
    try {
      const authorization = request.headers.authorization;
      results.set(request, await verifier.verify({ method: request.method, url: requestUrl(request), authorization }));
      return undefined;
    } catch (e) {
      if (!isVerificationError(e)) throw e;
      // An async hook that has sent the reply returns it: Fastify then runs nothing further.
      return sendVerificationError(reply, e);
    }
  };
}

/** The verified request stored by `popFastify`. Throws if the hook did not run for this route. */
export function popResult<T>(request: FastifyRequest): VerifiedRequest<T> {
  const result = results.get(request) as VerifiedRequest<T> | undefined;
  if (!result) throw new Error('pop-lib-server: popFastify hook did not run for this route');
  return result;
}

/** Answers a `VerificationError`: its status, `WWW-Authenticate` for 401s, `Retry-After` for 503s, a JSON body. */
export function sendVerificationError(reply: FastifyReply, e: VerificationError): FastifyReply {
  const response = verificationErrorResponse(e);
  return reply.code(response.status).headers(response.headers).send(response.body);
}

/** `GET {baseUrl}/pop-keys.json`: the server's public encryption keys. */
export function popKeysHandler(keys: ServerKeys, options: { maxAgeSeconds?: number } = {}): (request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (_request, reply) => {
    const response = popKeysResponse(keys, options);
    return reply.code(response.status).headers(response.headers).send(response.body);
  };
}
