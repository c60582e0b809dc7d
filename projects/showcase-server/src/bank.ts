/**
 * The showcase's resource server ("bank"): publishes its encryption key, and protects its
 * API with pop-server's ClientJWT middleware. `/api/pin` decrypts a secret form field.
 */
import express, { type Router } from 'express';
import type { JWTPayload } from 'jose';
import { decryptCredential, isVerificationError, type ServerKeys, type Verifier } from '../../pop-server/src/index.ts';
import { popExpress, popKeysHandler, popResult } from '../../pop-server/src/express.ts';

export function createBank(options: { keys: ServerKeys; verifier: Verifier<JWTPayload> }): Router {
  const router = express.Router();
  const requireClientJwt = popExpress(options.verifier);

  router.get('/pop-keys.json', popKeysHandler(options.keys));

  router.get('/accounts', requireClientJwt, (_req, res) => {
    const { accessTokenClaims } = popResult<JWTPayload>(res);
    res.set('Cache-Control', 'no-store').json({
      owner: accessTokenClaims.sub,
      accounts: [
        { id: 'CH93-0076-2011-6238-5295-7', name: 'Current account', balance: 1234.5, currency: 'CHF' },
        { id: 'CH56-0483-5012-3456-7800-9', name: 'Savings', balance: 20500, currency: 'CHF' },
      ],
    });
  });

  router.post('/pin', requireClientJwt, express.json({ limit: '32kb' }), async (req, res) => {
    const { pin } = (req.body ?? {}) as { pin?: unknown };
    try {
      // Echoing the PIN is for the demo only: it shows the server decrypted what was typed.
      res.set('Cache-Control', 'no-store').json({ received: await decryptCredential(pin, options.keys, { legacyUnbound: true }) });
    } catch (e) {
      if (!isVerificationError(e)) throw e;
      res.status(e.status).json({ error: e.error, error_description: `pin: ${e.description}` });
    }
  });

  return router;
}
