import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Component, computed, inject, input, OnInit, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { SecureFieldDirective } from 'pop-lib';
import { ExchangeView } from '../exchange/exchange-view';
import { pathOf, RequestLog } from '../traffic/request-log';
import type { InteractionDetails, LoginAccepted } from './interaction-details';
import { ResumeAuthorization } from './resume-authorization';

/**
 * The OpenID provider's login page, rendered by the showcase. The password field carries
 * `secureField`: what is typed is encrypted in the browser to the provider's key
 * (`/idp/pop-keys.json`), and the form value only ever holds the compact JWE. The provider
 * decrypts it, checks it, and hands back the URL to resume the authorization at.
 */
@Component({
  selector: 'app-provider-login',
  imports: [ReactiveFormsModule, RouterLink, SecureFieldDirective, ExchangeView],
  templateUrl: './provider-login.html',
})
export class ProviderLogin implements OnInit {
  private readonly http = inject(HttpClient);
  private readonly resume = inject(ResumeAuthorization);
  private readonly log = inject(RequestLog);

  /** The interaction id, from the route (`/sign-in/:uid`). */
  readonly uid = input.required<string>();
  protected readonly target = computed(() => `/idp/interaction/${encodeURIComponent(this.uid())}/login`);

  protected readonly details = signal<InteractionDetails | null>(null);
  protected readonly expired = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly submitting = signal(false);
  protected readonly accepted = signal(false);

  protected readonly form = new FormGroup({
    username: new FormControl('alice', { nonNullable: true, validators: [Validators.required] }),
    password: new FormControl<string | null>(null),
  });
  /** Checked on the plaintext, inside the directive. */
  protected readonly passwordRules = [Validators.required];
  protected readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.value });
  protected readonly status = toSignal(this.form.statusChanges, { initialValue: this.form.status });
  /** This page's login attempts, newest last. */
  protected readonly attempts = computed(() => this.log.exchanges().filter((e) => pathOf(e) === this.target()));
  protected readonly lastAttempt = computed(() => this.attempts().at(-1) ?? null);

  ngOnInit(): void {
    this.http.get<InteractionDetails>(`/idp/interaction/${encodeURIComponent(this.uid())}/details`).subscribe({
      next: (details) => this.details.set(details),
      error: () => this.expired.set(true),
    });
  }

  protected preview(): string {
    return JSON.stringify(this.value(), null, 2);
  }

  protected submit(): void {
    if (!this.form.valid || this.submitting()) return;
    this.failure.set(null);
    this.submitting.set(true);
    this.http
      .post<LoginAccepted>(this.target(), JSON.stringify(this.form.getRawValue()), { headers: { 'Content-Type': 'application/json' } })
      .subscribe({
        next: ({ redirectTo }) => {
          this.accepted.set(true);
          // Back to the provider, which finishes the authorization and redirects to /callback.
          this.resume.go(redirectTo);
        },
        error: (error: HttpErrorResponse) => {
          this.submitting.set(false);
          if (error.status === 400 && (error.error as { error?: string } | null)?.error === 'interaction_expired') this.expired.set(true);
          const description = (error.error as { error_description?: string } | null)?.error_description;
          this.failure.set(description ? `${description[0]?.toUpperCase()}${description.slice(1)}.` : `The provider answered ${error.status}.`);
          // The JWE that was refused must not stay in the form: back to empty (and so invalid) until retyped.
          this.form.controls.password.reset();
        },
      });
  }
}
