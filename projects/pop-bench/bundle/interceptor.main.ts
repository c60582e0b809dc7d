/** Consumer app with `providePop` and `popInterceptor`. */
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { bootstrapApplication } from '@angular/platform-browser';
import { popInterceptor, providePop } from 'pop-lib';
import { API, authInterceptor, LoginForm } from './consumer';

bootstrapApplication(LoginForm, {
  providers: [providePop({ resourceServers: [{ baseUrl: API }] }), provideHttpClient(withInterceptors([authInterceptor, popInterceptor]))],
}).catch((error: unknown) => console.error(error));
