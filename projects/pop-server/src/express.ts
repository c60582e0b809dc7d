/**
 * Express 5 adapter (`pop-lib-server/express`): the ClientJWT middleware, the secret-field
 * middleware and the pop-keys.json handler. It only maps Express requests to the core and
 * the core's errors to responses; every check lives in the framework-agnostic core.
 */
import type { Request, RequestHandler, Response } from 'express';
import { checkAdapterOptions, checkRequestUrlOptions, requestUrlOf, type PopAdapterOptions } from './adapter-options.ts';
import { decryptResolved, secretFieldChecks, type SecretFieldOptions } from './decrypt-credential.ts';
import { verificationErrorResponse } from './error-response.ts';
import { isVerificationError, PopServerConfigError, VerificationError } from './errors.ts';
import { popKeysResponse } from './pop-keys.ts';
import type { ServerKeys } from './server-keys.ts';
import type { VerifiedRequest, Verifier } from './verifier.ts';

export type PopExpressOptions = PopAdapterOptions<Request>;

const RESULT = Symbol('pop-lib-server.result');
const SECRETS = Symbol('pop-lib-server.secrets');

/** Options of `popSecretFields`: which body fields hold secrets, and the checks of `decryptCredential`. */
export interface PopSecretFieldsOptions extends PopAdapterOptions<Request>, Omit<SecretFieldOptions, 'audience'> {
  /** Names of the request body's fields that hold secrets (`secureField` JWEs), e.g. `['pin']`. */
  fields: string[];
}

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

/**
 * Middleware for a route that takes secret form fields, after `express.json()` or
 * `express.urlencoded()`: each named body field must hold a fresh, single-use JWE made for
 * this endpoint (`decryptCredential` with the request's URL as its audience, docs/protocol.md
 * section 2). On success `popSecrets(res)` holds the plaintexts and the next handler runs;
 * the body keeps the JWEs, so request loggers never see a secret. A missing, stale, replayed,
 * misdirected or undecryptable field is answered 400 `invalid_request`, a store that cannot
 * answer 503; the handler does not run. Options are checked here, at start-up.
 */
export function popSecretFields(keys: ServerKeys, options: PopSecretFieldsOptions): RequestHandler {
  const { fields, replayStore, maxAgeSeconds, skewSeconds, now, ...urlOptions } = options ?? ({} as PopSecretFieldsOptions);
  if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === 'string' && f.length > 0)) {
    throw new PopServerConfigError('popSecretFields options', ['fields: must be a non-empty array of body field names']);
  }
  const checksFor = secretFieldChecks('popSecretFields options', { replayStore, maxAgeSeconds, skewSeconds, now });
  const requestUrl = requestUrlOf(checkRequestUrlOptions<Request>('popSecretFields', urlOptions));
  return async (req, res, next) => {
    try {
      const checks = checksFor(requestUrl(req));
      const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
      const secrets: Record<string, string> = {};
      for (const field of fields) {
        try {
          secrets[field] = await decryptResolved(body[field], keys, checks);
        } catch (e) {
          // Name the field, keep the check's code and reason.
          if (isVerificationError(e)) throw new VerificationError(e.error, e.reason, `${field}: ${e.description}`, { cause: e });
          throw e;
        }
      }
      res.locals[SECRETS as unknown as string] = Object.freeze(secrets);
      next();
    } catch (e) {
      if (isVerificationError(e)) sendVerificationError(res, e);
      else next(e);
    }
  };
}

/** The plaintexts `popSecretFields` decrypted, by field name. Throws if it did not run for this route. */
export function popSecrets(res: Response): Readonly<Record<string, string>> {
  const secrets = res.locals[SECRETS as unknown as string] as Readonly<Record<string, string>> | undefined;
  if (!secrets) throw new Error('pop-lib-server: popSecretFields middleware did not run for this route');
  return secrets;
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
