import { Routes } from '@angular/router';
import { Accounts } from './accounts';

export const routes: Routes = [{ path: 'accounts', component: Accounts }];
