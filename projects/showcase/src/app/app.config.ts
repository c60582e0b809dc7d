import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter } from '@angular/router';
import { popInterceptor, providePop } from 'pop-lib';
import { routes } from './app.routes';
import { clientJwtCapture } from './protected-api/client-jwt-log';
import { SessionStore } from './session/session-store';

/** One store for the app and for pop-lib's token provider (which runs outside DI). */
const session = new SessionStore();

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes),
    { provide: SessionStore, useValue: session },
    providePop({
      resourceServers: [
        // The identity provider: its key comes from /idp/pop-keys.json; no ClientJWT there.
        { baseUrl: '/idp', clientJwt: false },
        // The bank: its key comes from the access token's cnf claim.
        { baseUrl: '/api' },
      ],
      tokenProvider: session.tokenProvider,
    }),
    provideHttpClient(withInterceptors([popInterceptor, clientJwtCapture])),
  ],
};
