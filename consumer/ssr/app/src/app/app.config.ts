import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideClientHydration, withEventReplay } from '@angular/platform-browser';
import { provideRouter } from '@angular/router';
import { popInterceptor, providePop } from 'pop-lib';
import { routes } from './app.routes';
import { authInterceptor } from './auth.interceptor';
import { RESOURCE_SERVER } from './consumer-env';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes),
    provideClientHydration(withEventReplay()),
    // As pop-lib's README says: the resource server, and popInterceptor after the interceptor
    // that sets Authorization.
    providePop({ resourceServers: [{ baseUrl: RESOURCE_SERVER }] }),
    provideHttpClient(withFetch(), withInterceptors([authInterceptor, popInterceptor])),
  ],
};
