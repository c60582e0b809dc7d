import { HttpClient } from '@angular/common/http';
import { Component, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { SecureFieldDirective } from 'pop-lib';
import { API } from './consumer';

/** The consumer's login form with the password encrypted by `secureField`. */
@Component({
  selector: 'app-login',
  imports: [ReactiveFormsModule, SecureFieldDirective],
  template: `
    <form [formGroup]="form" (ngSubmit)="send()">
      <input formControlName="username" aria-label="user name" />
      <input type="password" formControlName="password" aria-label="password" secureField="https://bank.example/api" />
      <button [disabled]="!form.valid">Log in</button>
    </form>
  `,
})
export class SecureLoginForm {
  private readonly http = inject(HttpClient);
  protected readonly form = new FormGroup({ username: new FormControl(''), password: new FormControl<string | null>(null) });

  send(): void {
    this.http.post(`${API}/login`, this.form.value).subscribe();
  }
}
