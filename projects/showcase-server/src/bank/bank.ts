/**
 * The showcase's resource server ("bank"): publishes its encryption key, protects its API with
 * pop-lib-server's ClientJWT middleware, and opens the encrypted PINs of `POST /api/pin` (the PIN
 * page: checks a PIN and echoes it) and `POST /api/transfers` (a payment confirmed with the PIN;
 * no page: it is where a PIN captured at `/api/pin` is tried next, and refused). Every answer
 * carries `verified`: what the bank checked, for the showcase to display.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { JWTPayload } from 'jose';
import type { PopStore, ServerKeys, Verifier } from '../../../pop-server/src/index.ts';
import { popExpress, popKeysHandler, popResult } from '../../../pop-server/src/express.ts';
import { openSecretField, type SecretFieldReport } from '../secret-field-report.ts';
import { pinAudience, type PinEndpoint } from './pin-secret.ts';
import { verificationReport, type VerificationReport } from './verification-report.ts';

export interface BankOptions {
  keys: ServerKeys;
  verifier: Verifier<JWTPayload>;
  /** The origin the browser addresses: compared with each ClientJWT's `htu`, never the Host header. */
  publicOrigin: string;
  replayStore: PopStore;
  /** The bank's clock (epoch ms), for the PIN checks. */
  now: () => number;
}

const ACCOUNTS = [
  { id: 'CH93-0076-2011-6238-5295-7', name: 'Current account', balance: 1234.5, currency: 'CHF' },
  { id: 'CH56-0483-5012-3456-7800-9', name: 'Savings', balance: 20500, currency: 'CHF' },
];
const TRANSFER_TARGET = /^[A-Z]{2}[0-9A-Z-]{4,40}$/;
const MAX_TRANSFER = 1_000_000;

type PinOutcome = { pin: string; verified: VerificationReport & { decrypted: SecretFieldReport } } | null;

export function createBank(options: BankOptions): Router {
  const router = express.Router();
  const requireClientJwt = popExpress(options.verifier, { publicOrigin: options.publicOrigin });

  /** The request's PIN, decrypted for `endpoint`; null after answering 400 when it is refused. */
  async function openPin(endpoint: PinEndpoint, req: Request, res: Response): Promise<PinOutcome> {
    const verified = verificationReport(popResult<JWTPayload>(res));
    const { pin: jwe } = (req.body ?? {}) as { pin?: unknown };
    const audience = pinAudience(options.publicOrigin, endpoint);
    const opened = await openSecretField(jwe, { keys: options.keys, audience, replayStore: options.replayStore, now: options.now }, 'the bank');
    if (opened.refused) {
      const e = opened.refused;
      res.status(e.status).json({ error: e.error, error_description: `pin: ${e.description}`, verified });
      return null;
    }
    return { pin: opened.plaintext, verified: { ...verified, decrypted: opened.report } };
  }

  router.get('/pop-keys.json', popKeysHandler(options.keys));

  router.get('/accounts', requireClientJwt, (_req, res) => {
    const verified = popResult<JWTPayload>(res);
    res.set('Cache-Control', 'no-store').json({ owner: verified.accessTokenClaims.sub, accounts: ACCOUNTS, verified: verificationReport(verified) });
  });

  router.post('/pin', requireClientJwt, express.json({ limit: '32kb' }), async (req, res) => {
    const opened = await openPin('/pin', req, res);
    // Echoing the PIN is for the demo only: it shows the bank decrypted exactly what was typed.
    if (opened) res.set('Cache-Control', 'no-store').json(opened);
  });

  router.post('/transfers', requireClientJwt, express.json({ limit: '32kb' }), async (req, res) => {
    const { to, amount } = (req.body ?? {}) as { to?: unknown; amount?: unknown };
    if (typeof to !== 'string' || !TRANSFER_TARGET.test(to) || typeof amount !== 'number' || !(amount > 0 && amount <= MAX_TRANSFER)) {
      return void res.status(400).json({ error: 'invalid_request', error_description: `a transfer needs to (an IBAN) and a positive amount up to ${MAX_TRANSFER}` });
    }
    const opened = await openPin('/transfers', req, res);
    // A demo: nothing moves, and the PIN is not echoed.
    if (opened) res.set('Cache-Control', 'no-store').json({ transfer: { to, amount, currency: 'CHF', status: 'confirmed' }, verified: opened.verified });
  });

  return router;
}
