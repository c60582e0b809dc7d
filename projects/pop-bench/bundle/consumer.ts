/**
 * The minimal consumer app whose bundle `npm run bench:bundle` measures: a login form that
 * posts to an API through `HttpClient` with an auth interceptor, as any app has. The three
 * entry files differ only in what pop-lib adds.
 */
import { HttpClient, HttpInterceptorFn } from '@angular/common/http';
import { Component, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';

export const API = 'https://bank.example/api';

export const authInterceptor: HttpInterceptorFn = (request, next) =>
  next(request.clone({ setHeaders: { Authorization: `Bearer ${sessionStorage.getItem('access_token') ?? ''}` } }));

@Component({
  selector: 'app-login',
  imports: [ReactiveFormsModule],
  template: `
    <form [formGroup]="form" (ngSubmit)="send()">
      <input formControlName="username" aria-label="user name" />
      <input type="password" formControlName="password" aria-label="password" />
      <button [disabled]="!form.valid">Log in</button>
    </form>
  `,
})
export class LoginForm {
  private readonly http = inject(HttpClient);
  protected readonly form = new FormGroup({ username: new FormControl(''), password: new FormControl<string | null>(null) });

  send(): void {
    this.http.post(`${API}/login`, this.form.value).subscribe();
  }
}
