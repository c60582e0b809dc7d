import { HttpClient } from '@angular/common/http';
import { Component, computed, inject, signal } from '@angular/core';
import { FormsModule, NgForm, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { decodeProtectedHeader } from 'jose';
import { isPopError, SecureFieldDirective } from 'pop-lib';
import { Session } from '../auth/session';
import { ExchangeView } from '../exchange/exchange-view';
import { RequestLog } from '../traffic/request-log';

/**
 * A banking PIN in a template-driven form. The PIN is encrypted for the bank (`/api`) with the
 * key the access token names (`res_pub_key` or `cnf.jku`), which pop-lib's key resolver reads
 * through the configured token provider. The request itself is a plain `HttpClient.post`: the
 * auth library adds the bearer token, pop-lib turns it into a ClientJWT.
 */
@Component({
  selector: 'app-pin',
  imports: [FormsModule, RouterLink, SecureFieldDirective, ExchangeView],
  templateUrl: './pin.html',
})
export class Pin {
  private readonly http = inject(HttpClient);
  private readonly log = inject(RequestLog);
  protected readonly session = inject(Session);

  /** Bound with ngModel: the JWE once the PIN is encrypted, null before. */
  protected pin: string | null = null;
  protected readonly pinRules = [Validators.required, Validators.pattern(/^\d{4,8}$/)];
  /** The log's last id when the PIN was last sent; null before the first send. */
  private readonly sentAfter = signal<number | null>(null);
  /** The log entry of this page's last PIN request (pop-lib signs asynchronously, so it appears a moment later). */
  protected readonly sent = computed(() => {
    const after = this.sentAfter();
    return after === null ? null : this.log.lastTo('/api/pin', after);
  });
  protected readonly failure = signal<string | null>(null);

  protected preview(): string {
    return JSON.stringify({ pin: this.pin });
  }

  /** alg, enc and kid of the JWE: which bank key it was encrypted for. */
  protected header(): string {
    return this.pin ? JSON.stringify(decodeProtectedHeader(this.pin)) : '';
  }

  protected submit(form: NgForm): void {
    if (!form.valid || !this.pin || !this.session.signedIn()) return;
    this.failure.set(null);
    this.sentAfter.set(this.log.lastId());
    // A sent JWE is spent: the field goes back to empty (and invalid) whatever the answer.
    const done = () => form.resetForm();
    this.http.post<unknown>('/api/pin', JSON.stringify({ pin: this.pin }), { headers: { 'Content-Type': 'application/json' } }).subscribe({
      next: done,
      error: (error: unknown) => {
        done();
        // An HTTP error is in the log; a PopError is pop-lib refusing to send (never the bare token).
        if (isPopError(error)) this.failure.set(`${error.code}: ${error.message}`);
      },
    });
  }
}
