/**
 * Assembles the showcase backend on one origin: the OpenID provider at /idp (node-oidc-provider
 * plus the routes behind the showcase's login page), the bank at /api, and optionally the built
 * showcase with the single-page-app fallback to index.html.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import type { Provider } from 'oidc-provider';
import {
  createVerifier,
  generateServerKeys,
  jwksAccessTokenValidator,
  MemoryStore,
  type PopStore,
  type ServerKeys,
} from '../../pop-server/src/index.ts';
import { createBank } from './bank/bank.ts';
import { createIdentityProvider } from './idp/identity-provider.ts';
import type { KeyHint } from './idp/key-hint.ts';
import { createLoginRoutes } from './idp/login-routes.ts';
import { generateSigningKeys, type SigningKeys } from './idp/signing-keys.ts';
import { showcaseUrls, type ShowcaseUrls } from './showcase-urls.ts';

export interface ShowcaseOptions {
  /** The origin the browser sees (scheme://host:port); the issuer is this + `/idp`. */
  publicOrigin: string;
  /** Nonces, HMAC key registrations and used JWE ids (default: in memory). */
  store?: PopStore;
  /** How access tokens name the bank's key (default `res_pub_key`; see idp/key-hint.ts). */
  keyHint?: KeyHint;
  /** Serve this folder (the built showcase) with an index.html fallback. */
  staticDir?: string;
  bankKeys?: ServerKeys;
  /**
   * The backend's clock, in epoch milliseconds (default `Date.now`): the bank's ClientJWT
   * checks, the provider's and the bank's secret-field checks (`iat` age), the in-memory store,
   * the `Date` response header, from which pop-lib learns its clock offset, and the check of
   * the access token's own `exp`. Tests move it together with the browser's. oidc-provider
   * keeps the system clock (it takes none).
   */
  now?: () => number;
}

export interface Showcase {
  app: Express;
  urls: ShowcaseUrls;
  provider: Provider;
  /** The bank's encryption keys (`/api/pop-keys.json`). */
  bankKeys: ServerKeys;
  /** The provider's password encryption keys (`/idp/pop-keys.json`). */
  passwordKeys: ServerKeys;
  /** The provider's token signing keys (`/idp/jwks`). */
  signingKeys: SigningKeys;
}

export async function createShowcase(options: ShowcaseOptions): Promise<Showcase> {
  const urls = showcaseUrls(options.publicOrigin);
  const now = options.now ?? Date.now;
  const store = options.store ?? new MemoryStore({ now });
  const bankKeys = options.bankKeys ?? (await generateServerKeys());
  const passwordKeys = await generateServerKeys();
  const signingKeys = await generateSigningKeys();
  const provider = createIdentityProvider({ urls, signingKeys, bankKeys, keyHint: options.keyHint ?? 'res_pub_key' });
  const verifier = createVerifier({
    keys: bankKeys,
    replayStore: store,
    // The provider's public keys, in process: the same set it publishes at /idp/jwks.
    validateAccessToken: jwksAccessTokenValidator(signingKeys.publicJwks, { issuer: urls.issuer, audience: urls.bankResource, now }),
    now,
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(dateHeader(now));
  app.use('/idp', createLoginRoutes({ provider, urls, passwordKeys, replayStore: store, now }));
  app.use('/idp', provider.callback());
  app.use('/api', createBank({ keys: bankKeys, verifier, publicOrigin: urls.publicOrigin, replayStore: store, now }));
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });

  if (options.staticDir) {
    const root = resolve(options.staticDir);
    if (!existsSync(resolve(root, 'index.html'))) throw new Error(`showcase-server: no index.html in ${root} (run ng build showcase)`);
    app.use(express.static(root, { index: 'index.html' }));
    app.get('/{*path}', (_req, res) => res.sendFile(resolve(root, 'index.html')));
  }
  return { app, urls, provider, bankKeys, passwordKeys, signingKeys };
}

/**
 * Every answer's `Date` header from the backend's clock (Node would write the system time):
 * pop-lib corrects its ClientJWT timestamps and secret `iat`s by the offset it learns from
 * it, so it must be the clock the checks use.
 */
function dateHeader(now: () => number): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Date', new Date(now()).toUTCString());
    next();
  };
}
