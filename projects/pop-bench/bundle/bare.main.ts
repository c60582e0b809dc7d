/** Consumer app without pop-lib: the baseline. */
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { bootstrapApplication } from '@angular/platform-browser';
import { authInterceptor, LoginForm } from './consumer';

bootstrapApplication(LoginForm, {
  providers: [provideHttpClient(withInterceptors([authInterceptor]))],
}).catch((error: unknown) => console.error(error));
