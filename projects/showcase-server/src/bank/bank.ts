/**
 * The showcase's resource server ("bank"): publishes its encryption key, protects its API with
 * pop-server's ClientJWT middleware, and opens the encrypted PIN of `POST /api/pin`. Every
 * answer carries `verified`: what the bank checked, for the showcase to display.
 */
import express, { type Router } from 'express';
import type { JWTPayload } from 'jose';
import { isVerificationError, type PopStore, type ServerKeys, type Verifier } from '../../../pop-server/src/index.ts';
import { popExpress, popKeysHandler, popResult } from '../../../pop-server/src/express.ts';
import { secretFieldReport } from '../secret-field-report.ts';
import { decryptPin, pinAudience } from './pin-secret.ts';
import { verificationReport } from './verification-report.ts';

export interface BankOptions {
  keys: ServerKeys;
  verifier: Verifier<JWTPayload>;
  /** The origin the browser addresses: compared with each ClientJWT's `htu`, never the Host header. */
  publicOrigin: string;
  replayStore: PopStore;
}

const ACCOUNTS = [
  { id: 'CH93-0076-2011-6238-5295-7', name: 'Current account', balance: 1234.5, currency: 'CHF' },
  { id: 'CH56-0483-5012-3456-7800-9', name: 'Savings', balance: 20500, currency: 'CHF' },
];

export function createBank(options: BankOptions): Router {
  const router = express.Router();
  const requireClientJwt = popExpress(options.verifier, { publicOrigin: options.publicOrigin });

  router.get('/pop-keys.json', popKeysHandler(options.keys));

  router.get('/accounts', requireClientJwt, (_req, res) => {
    const verified = popResult<JWTPayload>(res);
    res.set('Cache-Control', 'no-store').json({ owner: verified.accessTokenClaims.sub, accounts: ACCOUNTS, verified: verificationReport(verified) });
  });

  router.post('/pin', requireClientJwt, express.json({ limit: '32kb' }), async (req, res) => {
    const verified = verificationReport(popResult<JWTPayload>(res));
    const { pin: jwe } = (req.body ?? {}) as { pin?: unknown };
    const audience = pinAudience(options.publicOrigin);
    let pin: string;
    try {
      pin = await decryptPin(jwe, { keys: options.keys, audience, replayStore: options.replayStore });
    } catch (e) {
      if (!isVerificationError(e)) throw e;
      return void res.status(e.status).json({ error: e.error, error_description: `pin: ${e.description}`, verified });
    }
    res.set('Cache-Control', 'no-store').json({
      // Echoing the PIN is for the demo only: it shows the bank decrypted exactly what was typed.
      pin,
      verified: { ...verified, decrypted: secretFieldReport(jwe as string, audience, 'the bank') },
    });
  });

  return router;
}
