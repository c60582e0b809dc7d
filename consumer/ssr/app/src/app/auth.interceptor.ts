import { HttpInterceptorFn } from '@angular/common/http';
import { ACCESS_TOKEN, RESOURCE_SERVER } from './consumer-env';

/** What an OIDC library's interceptor does: the bearer token on requests to the API. */
export const authInterceptor: HttpInterceptorFn = (request, next) =>
  request.url.startsWith(`${RESOURCE_SERVER}/`) ? next(request.clone({ setHeaders: { Authorization: `Bearer ${ACCESS_TOKEN}` } })) : next(request);
