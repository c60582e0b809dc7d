/**
 * The provider's side of its login page. oidc-provider sends the browser to
 * `{issuer}/interaction/{uid}` when someone must sign in; that route forwards to the showcase's
 * Angular login route, which shows who is asking (`…/details`) and posts the username with the
 * password as a JWE (`…/login`). The interaction cookie is scoped to `{issuer}/interaction/{uid}`,
 * so both calls carry it.
 *
 * The form posts with HttpClient, so the login result goes back as JSON with the URL to resume
 * the authorization at (`interactionResult`); `interactionFinished` would answer the XHR itself
 * with a 303 the browser must not follow in the background.
 */
import express, { type Request, type Response, type Router } from 'express';
import { errors, type Interaction, type Provider } from 'oidc-provider';
import type { PopStore, ServerKeys } from '../../../pop-server/src/index.ts';
import { popKeysHandler } from '../../../pop-server/src/express.ts';
import { openSecretField } from '../secret-field-report.ts';
import type { ShowcaseUrls } from '../showcase-urls.ts';
import { authenticate } from './accounts.ts';
import { loginAudience } from './login-password.ts';

/** The showcase route that renders the login form for an interaction. */
export const LOGIN_ROUTE = '/sign-in';
const UID = /^[A-Za-z0-9_-]{1,64}$/;

export interface LoginRoutesOptions {
  provider: Provider;
  urls: ShowcaseUrls;
  /** The key pair passwords are encrypted to, published at `{issuer}/pop-keys.json`. */
  passwordKeys: ServerKeys;
  replayStore: PopStore;
  /** The clock password JWEs are checked against (epoch ms). */
  now: () => number;
}

export function createLoginRoutes(options: LoginRoutesOptions): Router {
  const { provider, urls } = options;
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  /** The interaction named by the URL and by the browser's interaction cookie, or null after answering 400. */
  async function currentInteraction(req: Request, res: Response): Promise<Interaction | null> {
    try {
      const interaction = await provider.interactionDetails(req, res);
      if (interaction.uid !== req.params['uid']) throw new errors.SessionNotFound('interaction id does not match the cookie');
      return interaction;
    } catch (e) {
      if (!(e instanceof errors.SessionNotFound)) throw e;
      res.status(400).json({ error: 'interaction_expired', error_description: 'this sign-in attempt has expired or was already used; start again from the showcase' });
      return null;
    }
  }

  router.get('/pop-keys.json', popKeysHandler(options.passwordKeys));

  router.get('/interaction/:uid', (req, res) => {
    const uid = req.params['uid'] ?? '';
    if (!UID.test(uid)) return void res.status(400).json({ error: 'invalid_request', error_description: 'malformed interaction id' });
    res.redirect(303, `${LOGIN_ROUTE}/${uid}`);
  });

  router.get('/interaction/:uid/details', async (req, res) => {
    const interaction = await currentInteraction(req, res);
    if (!interaction) return;
    const params = interaction.params;
    res.json({
      uid: interaction.uid,
      prompt: interaction.prompt.name,
      client: { id: params['client_id'], name: (await provider.Client.find(String(params['client_id'])))?.clientName ?? null },
      scope: params['scope'] ?? null,
      resource: params['resource'] ?? null,
      redirectUri: params['redirect_uri'] ?? null,
      codeChallengeMethod: params['code_challenge_method'] ?? null,
    });
  });

  router.post('/interaction/:uid/login', express.json({ limit: '32kb' }), async (req, res) => {
    const interaction = await currentInteraction(req, res);
    if (!interaction) return;
    if (interaction.prompt.name !== 'login') {
      return void res.status(400).json({ error: 'invalid_request', error_description: `this interaction asks for ${interaction.prompt.name}, not login` });
    }
    const { username, password: jwe } = (req.body ?? {}) as { username?: unknown; password?: unknown };
    const audience = loginAudience(urls.issuer, interaction.uid);
    const opened = await openSecretField(jwe, { keys: options.passwordKeys, audience, replayStore: options.replayStore, now: options.now }, 'the provider');
    if (opened.refused) {
      return void res.status(400).json({ error: 'invalid_request', error_description: `password: ${opened.refused.description}` });
    }
    const decrypted = opened.report;
    const accountId = authenticate(username, opened.plaintext);
    if (!accountId) {
      return void res.status(401).json({ error: 'login_failed', error_description: 'wrong username or password', verified: decrypted });
    }
    const redirectTo = await provider.interactionResult(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    res.json({
      redirectTo,
      verified: { ...decrypted, account: accountId, checks: [...decrypted.checks, `password matches ${accountId}'s (compared in constant time)`] },
    });
  });

  return router;
}
