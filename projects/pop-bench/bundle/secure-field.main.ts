/** Consumer app with `providePop`, `popInterceptor` and `secureField` on the password. */
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { bootstrapApplication } from '@angular/platform-browser';
import { popInterceptor, providePop } from 'pop-lib';
import { API, authInterceptor } from './consumer';
import { SecureLoginForm } from './secure-login-form';

bootstrapApplication(SecureLoginForm, {
  providers: [providePop({ resourceServers: [{ baseUrl: API }] }), provideHttpClient(withInterceptors([authInterceptor, popInterceptor]))],
}).catch((error: unknown) => console.error(error));
