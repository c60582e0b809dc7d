import { Routes } from '@angular/router';
import { Login } from './login/login';
import { Overview } from './overview/overview';
import { Pin } from './pin/pin';
import { ProtectedApi } from './protected-api/protected-api';

export const routes: Routes = [
  { path: '', component: Overview, title: 'pop-lib showcase' },
  { path: 'login', component: Login, title: 'Log in · pop-lib showcase' },
  { path: 'pin', component: Pin, title: 'Banking PIN · pop-lib showcase' },
  { path: 'api-call', component: ProtectedApi, title: 'Protected API · pop-lib showcase' },
  { path: '**', redirectTo: '' },
];
