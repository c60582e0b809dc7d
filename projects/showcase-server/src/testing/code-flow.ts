/**
 * For the backend specs: a minimal browser stand-in (cookies and redirects by hand) that walks
 * the authorization code flow with PKCE the way the showcase app does, password encrypted to
 * the provider's key with jose (pop-lib-server's test client), independent of the Angular code.
 */
import { createHash, randomBytes } from 'node:crypto';
import { base64url, type JWK } from 'jose';
import { secretJwe } from '../../../pop-server/test/client.ts';
import { BANK_SCOPE, SHOWCASE_CLIENT_ID } from '../idp/identity-provider.ts';
import type { ShowcaseUrls } from '../showcase-urls.ts';

export class TestBrowser {
  private readonly cookies = new Map<string, string>();

  /** fetch without following redirects, keeping every cookie (names do not collide here). */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  }
}

export interface LoginStep {
  browser: TestBrowser;
  uid: string;
  verifier: string;
  /** Posts the username and the password (encrypted to the provider's pop-keys.json key unless `plaintext`). */
  login(password: string, options?: { username?: string; plaintext?: boolean }): Promise<Response>;
}

export interface SignInOptions {
  /** The clock the password JWE's `iat` comes from (epoch ms; default `Date.now`): the backend's, when it runs on another. */
  now?: () => number;
}

/** Starts an authorization request and follows it to the login page; returns the pending interaction. */
export async function startSignIn(urls: ShowcaseUrls, options: SignInOptions = {}): Promise<LoginStep> {
  const now = options.now ?? Date.now;
  const browser = new TestBrowser();
  const verifier = base64url.encode(randomBytes(32));
  const authorize = new URL(`${urls.issuer}/auth`);
  for (const [name, value] of Object.entries({
    client_id: SHOWCASE_CLIENT_ID,
    redirect_uri: urls.redirectUri,
    response_type: 'code',
    scope: `openid ${BANK_SCOPE}`,
    resource: urls.bankResource,
    code_challenge: base64url.encode(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    state: base64url.encode(randomBytes(16)),
    nonce: base64url.encode(randomBytes(16)),
    prompt: 'login',
  })) {
    authorize.searchParams.set(name, value);
  }
  const toInteraction = await browser.fetch(authorize.href);
  assertRedirect(toInteraction, /\/idp\/interaction\/[\w-]+$/);
  const toLoginPage = await browser.fetch(new URL(toInteraction.headers.get('location') ?? '', urls.issuer).href);
  const loginPage = assertRedirect(toLoginPage, /^\/sign-in\/[\w-]+$/);
  const uid = loginPage.split('/').pop() ?? '';

  return {
    browser,
    uid,
    verifier,
    async login(password, options = {}) {
      const { keys } = (await (await browser.fetch(`${urls.issuer}/pop-keys.json`)).json()) as { keys: JWK[] };
      const loginUrl = `${urls.issuer}/interaction/${uid}/login`;
      const sent = options.plaintext ? password : await secretJwe(keys[0] as JWK, password, loginUrl, { iat: Math.floor(now() / 1000) });
      return browser.fetch(loginUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: options.username ?? 'alice', password: sent }),
      });
    },
  };
}

export interface TokenResponse {
  access_token: string;
  id_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

/** The whole flow as alice: log in, resume the authorization, exchange the code (with PKCE and the resource). */
export async function signIn(urls: ShowcaseUrls, options: SignInOptions = {}): Promise<TokenResponse> {
  const step = await startSignIn(urls, options);
  const login = await step.login('wonderland');
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${await login.text()}`);
  const { redirectTo } = (await login.json()) as { redirectTo: string };
  const callback = await step.browser.fetch(redirectTo);
  const code = new URL(assertRedirect(callback, /^http.*\/callback\?/)).searchParams.get('code') ?? '';
  const token = await step.browser.fetch(`${urls.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: urls.publicOrigin },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: urls.redirectUri,
      code_verifier: step.verifier,
      client_id: SHOWCASE_CLIENT_ID,
      resource: urls.bankResource,
    }),
  });
  if (token.status !== 200) throw new Error(`token endpoint answered ${token.status}: ${await token.text()}`);
  return (await token.json()) as TokenResponse;
}

function assertRedirect(response: Response, location: RegExp): string {
  const to = response.headers.get('location') ?? '';
  if (response.status !== 303 && response.status !== 302) throw new Error(`expected a redirect to ${location}, got ${response.status}`);
  if (!location.test(to)) throw new Error(`redirect to ${to}, expected ${location}`);
  return to;
}
