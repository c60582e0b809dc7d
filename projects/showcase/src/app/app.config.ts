import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, inject, provideAppInitializer, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { AbstractSecurityStorage, authInterceptor, DefaultLocalStorageService, provideAuth } from 'angular-auth-oidc-client';
import { popInterceptor, providePop } from 'pop-lib';
import { routes } from './app.routes';
import { BANK_BASE_URL, PROVIDER_BASE_URL, showcaseAuthConfig } from './auth/auth-config';
import { bankTokenProvider } from './auth/bank-token-provider';
import { Session } from './auth/session';
import { wireCapture } from './traffic/wire-capture';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes, withComponentInputBinding()),
    provideAuth({ config: showcaseAuthConfig(globalThis.location.origin) }),
    // The session in localStorage, so every tab of the origin shares it (the default,
    // sessionStorage, signs each tab in on its own); pop-lib shares the token's HMAC key
    // between tabs through IndexedDB.
    { provide: AbstractSecurityStorage, useClass: DefaultLocalStorageService },
    providePop({
      resourceServers: [
        // The provider: its key (for the login form's password) comes from /idp/pop-keys.json.
        // It is not a ClientJWT resource server: its token endpoint takes no bearer token.
        { baseUrl: PROVIDER_BASE_URL, clientJwt: false },
        // The bank: its key comes from the access token's res_pub_key (or cnf.jku) claim.
        { baseUrl: BANK_BASE_URL },
      ],
      // The bank's access token, for the PIN field's key hint (bank-token-provider.ts).
      tokenProvider: bankTokenProvider,
    }),
    // Completes a sign-in on the redirect back from the provider, or restores the session.
    provideAppInitializer(() => inject(Session).restore()),
    provideHttpClient(
      withInterceptors([
        authInterceptor(), // angular-auth-oidc-client: Authorization: Bearer <access token> for secureRoutes
        popInterceptor, // pop-lib: wraps that token into a ClientJWT for configured resource servers
        wireCapture, // showcase only: records each request exactly as it leaves
      ]),
    ),
  ],
};
