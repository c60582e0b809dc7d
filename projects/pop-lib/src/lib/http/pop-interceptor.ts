import { HttpEvent, HttpHandler, HttpInterceptor, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { ClientJwtHttpHandler } from './client-jwt-http-handler';

/**
 * Wraps bearer tokens sent to configured resource servers into ClientJWTs.
 * Standalone apps: `provideHttpClient(withInterceptors([authInterceptor, popInterceptor]))`,
 * listed after the interceptor that sets `Authorization`.
 */
export const popInterceptor: HttpInterceptorFn = (request, next) => inject(ClientJwtHttpHandler).handle(request, next);

/**
 * The same interceptor for `HTTP_INTERCEPTORS` (NgModule apps); `PopModule.forRoot` registers
 * it. Needs `provideHttpClient(withInterceptorsFromDi())` or `HttpClientModule`.
 */
@Injectable()
export class PopInterceptor implements HttpInterceptor {
  private readonly handler = inject(ClientJwtHttpHandler);

  intercept(request: HttpRequest<unknown>, next: HttpHandler): Observable<HttpEvent<unknown>> {
    return this.handler.handle(request, (signed) => next.handle(signed));
  }
}
