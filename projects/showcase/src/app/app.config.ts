import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, inject, provideAppInitializer, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { authInterceptor, OidcSecurityService, provideAuth } from 'angular-auth-oidc-client';
import { popInterceptor, providePop } from 'pop-lib';
import { routes } from './app.routes';
import { BANK_BASE_URL, PROVIDER_BASE_URL, showcaseAuthConfig } from './auth/auth-config';
import { OidcTokenProvider } from './auth/oidc-token-provider';
import { Session } from './auth/session';
import { wireCapture } from './traffic/wire-capture';

/** pop-lib asks this for the bank's access token (key hints for the PIN field); it runs outside DI. */
const tokens = new OidcTokenProvider();

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes, withComponentInputBinding()),
    provideAuth({ config: showcaseAuthConfig(globalThis.location.origin) }),
    providePop({
      resourceServers: [
        // The provider: its key (for the login form's password) comes from /idp/pop-keys.json.
        // It is not a ClientJWT resource server: its token endpoint takes no bearer token.
        { baseUrl: PROVIDER_BASE_URL, clientJwt: false },
        // The bank: its key comes from the access token's res_pub_key (or cnf.jku) claim.
        { baseUrl: BANK_BASE_URL },
      ],
      tokenProvider: tokens.tokenProvider,
    }),
    provideAppInitializer(() => {
      tokens.connect(inject(OidcSecurityService));
      return inject(Session).restore();
    }),
    provideHttpClient(
      withInterceptors([
        authInterceptor(), // angular-auth-oidc-client: Authorization: Bearer <access token> for secureRoutes
        popInterceptor, // pop-lib: wraps that token into a ClientJWT for configured resource servers
        wireCapture, // showcase only: records each request exactly as it leaves
      ]),
    ),
  ],
};
