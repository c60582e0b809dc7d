import { Routes } from '@angular/router';
import { Overview } from './overview/overview';

/** Pages load on demand; the overview is the landing page and comes with the app. */
export const routes: Routes = [
  { path: '', component: Overview, title: 'pop-lib showcase' },
  { path: 'sign-in', loadComponent: () => import('./sign-in/sign-in').then((m) => m.SignIn), title: 'Sign in · pop-lib showcase' },
  // The provider's login page for one interaction (oidc-provider sends the browser here).
  {
    path: 'sign-in/:uid',
    loadComponent: () => import('./provider-login/provider-login').then((m) => m.ProviderLogin),
    title: 'Provider login · pop-lib showcase',
  },
  // The provider's redirect back; the app initializer has exchanged the code by now.
  { path: 'callback', redirectTo: 'sign-in' },
  { path: 'pin', loadComponent: () => import('./pin/pin').then((m) => m.Pin), title: 'Banking PIN · pop-lib showcase' },
  { path: 'api-call', loadComponent: () => import('./protected-api/protected-api').then((m) => m.ProtectedApi), title: 'Protected API · pop-lib showcase' },
  { path: '**', redirectTo: '' },
];
