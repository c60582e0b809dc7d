/**
 * Every URL of the showcase, derived from the one origin the browser sees: with `npm start`
 * the Angular dev server (which proxies /idp and /api here), in the end-to-end test this
 * backend itself. Tokens, redirects and the ClientJWT's `htu` all name these URLs.
 */
export interface ShowcaseUrls {
  publicOrigin: string;
  /** The OpenID provider's issuer identifier. */
  issuer: string;
  /** The bank's resource indicator (RFC 8707): the `aud` of its access tokens. */
  bankResource: string;
  /** The bank's encryption keys, for `cnf.jku`. */
  bankJwks: string;
  /** Where the provider sends the authorization code (the showcase's callback route). */
  redirectUri: string;
}

export function showcaseUrls(publicOrigin: string): ShowcaseUrls {
  const origin = new URL(publicOrigin);
  if (origin.origin !== publicOrigin.replace(/\/$/, '')) throw new TypeError(`showcase-server: public origin must be scheme://host:port, got ${publicOrigin}`);
  const o = origin.origin;
  return {
    publicOrigin: o,
    issuer: `${o}/idp`,
    bankResource: `${o}/api`,
    bankJwks: `${o}/api/pop-keys.json`,
    redirectUri: `${o}/callback`,
  };
}
