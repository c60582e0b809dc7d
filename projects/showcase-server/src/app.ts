/**
 * Assembles the showcase backend: mock IdP at /idp, bank at /api, optionally the built
 * showcase (with the single-page-app fallback to index.html) on the same origin.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import express, { type Express } from 'express';
import {
  createVerifier,
  generateServerKeys,
  jwksAccessTokenValidator,
  MemoryStore,
  type PopStore,
  type ServerKeys,
} from '../../pop-server/src/index.ts';
import { createBank } from './bank.ts';
import { BANK_AUDIENCE, IDP_ISSUER, createMockIdp, type CnfMode } from './mock-idp.ts';

export interface ShowcaseOptions {
  /** Nonces and HMAC key registrations (default: in memory). */
  store?: PopStore;
  /** How access tokens name the bank's key: `cnf.jwk` (default) or `cnf.jku`. */
  cnf?: CnfMode;
  /** Serve this folder (the built showcase) with an index.html fallback. */
  staticDir?: string;
  bankKeys?: ServerKeys;
}

export interface Showcase {
  app: Express;
  bankKeys: ServerKeys;
  idpKeys: ServerKeys;
}

export async function createShowcase(options: ShowcaseOptions = {}): Promise<Showcase> {
  const bankKeys = options.bankKeys ?? (await generateServerKeys());
  const idpKeys = await generateServerKeys();
  const idp = await createMockIdp({ encryptionKeys: idpKeys, bankKeys, cnf: options.cnf ?? 'jwk' });
  const verifier = createVerifier({
    keys: bankKeys,
    replayStore: options.store ?? new MemoryStore(),
    validateAccessToken: jwksAccessTokenValidator(idp.signingJwks, { issuer: IDP_ISSUER, audience: BANK_AUDIENCE }),
  });

  const app = express();
  app.disable('x-powered-by');
  app.use('/idp', idp.router);
  app.use('/api', createBank({ keys: bankKeys, verifier }));
  app.use(['/api', '/idp'], (_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });

  if (options.staticDir) {
    const root = resolve(options.staticDir);
    if (!existsSync(resolve(root, 'index.html'))) throw new Error(`showcase-server: no index.html in ${root} (run ng build showcase)`);
    app.use(express.static(root, { index: 'index.html' }));
    app.get('/{*path}', (_req, res) => res.sendFile(resolve(root, 'index.html')));
  }
  return { app, bankKeys, idpKeys };
}
