import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { FormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { decodeProtectedHeader } from 'jose';
import { SecureFieldDirective } from 'pop-lib';
import { SessionStore } from '../session/session-store';

/**
 * A banking PIN in a template-driven form. The PIN is encrypted for the bank (`/api`) with
 * the key the access token names in its `cnf` claim, found by the library's key resolver
 * through the session's token provider.
 */
@Component({
  selector: 'app-pin',
  imports: [FormsModule, RouterLink, SecureFieldDirective],
  templateUrl: './pin.html',
})
export class Pin {
  private readonly http = inject(HttpClient);
  protected readonly session = inject(SessionStore);

  /** Bound with ngModel: the JWE once the PIN is encrypted, null before. */
  protected pin: string | null = null;
  protected readonly pinRules = [Validators.required, Validators.pattern(/^\d{4,8}$/)];
  protected readonly sent = signal<string | null>(null);
  protected readonly result = signal<string | null>(null);

  protected preview(): string {
    return JSON.stringify({ pin: this.pin });
  }

  /** alg, enc and kid of the JWE: which bank key it was encrypted for. */
  protected header(): string {
    return this.pin ? JSON.stringify(decodeProtectedHeader(this.pin)) : '';
  }

  protected submit(valid: boolean | null): void {
    const accessToken = this.session.accessToken();
    if (!valid || !this.pin || !accessToken) return;
    const body = JSON.stringify({ pin: this.pin });
    this.sent.set(body);
    this.result.set(null);
    // The bearer token is set as an auth library would; pop-lib's interceptor turns it into a ClientJWT.
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` };
    this.http.post<unknown>('/api/pin', body, { headers }).subscribe({
      next: (response) => this.result.set(JSON.stringify(response)),
      error: (error: HttpErrorResponse) => this.result.set(JSON.stringify({ status: error.status, error: error.error })),
    });
  }
}
