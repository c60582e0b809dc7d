import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { SecureFieldDirective, type OAuthTokenResponse } from 'pop-lib';
import { SessionStore } from '../session/session-store';

/** Login with a reactive form: the password leaves the browser only as a JWE for the IdP's key. */
@Component({
  selector: 'app-login',
  imports: [ReactiveFormsModule, SecureFieldDirective],
  templateUrl: './login.html',
})
export class Login {
  private readonly http = inject(HttpClient);
  protected readonly session = inject(SessionStore);

  protected readonly form = new FormGroup({
    username: new FormControl('alice', { nonNullable: true, validators: [Validators.required] }),
    password: new FormControl<string | null>(null),
  });
  /** Checked on the plaintext, inside the directive. */
  protected readonly passwordRules = [Validators.required];

  protected readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.value });
  protected readonly status = toSignal(this.form.statusChanges, { initialValue: this.form.status });
  /** The exact request body, as sent. */
  protected readonly sent = signal<string | null>(null);
  protected readonly result = signal('');

  protected preview(): string {
    return JSON.stringify(this.value(), null, 2);
  }

  protected submit(): void {
    if (!this.form.valid) return;
    // Serialised here so the page shows byte for byte what goes on the wire.
    const body = JSON.stringify(this.form.getRawValue());
    this.sent.set(body);
    this.result.set('Logging in…');
    this.http
      .post<OAuthTokenResponse>('/idp/token', body, { headers: { 'Content-Type': 'application/json' } })
      .subscribe({
        next: (response) => {
          this.session.signIn(response);
          this.result.set(`Logged in as ${this.session.username() ?? '(no sub claim)'}`);
        },
        error: (error: HttpErrorResponse) => this.result.set(`Login failed: HTTP ${error.status} ${JSON.stringify(error.error)}`),
      });
  }
}
