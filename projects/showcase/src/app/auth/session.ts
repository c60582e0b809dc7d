import { computed, inject, Injectable, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';
import { OidcSecurityService } from 'angular-auth-oidc-client';
import { ClientJwtService, readClaims } from 'pop-lib';
import { firstValueFrom, switchMap } from 'rxjs';
import { RequestLog } from '../traffic/request-log';

/** Signed in or not, and the bank access token's claims (read, not verified: the browser cannot). */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly oidc = inject(OidcSecurityService);
  private readonly clientJwts = inject(ClientJwtService);
  private readonly log = inject(RequestLog);
  private readonly router = inject(Router);

  readonly signedIn = computed(() => this.oidc.authenticated().isAuthenticated);
  /** The bank access token ('' when signed out), refreshed whenever the sign-in state changes. */
  readonly accessToken = toSignal(this.oidc.isAuthenticated$.pipe(switchMap(() => this.oidc.getAccessToken())), { initialValue: '' });
  /** The bank access token's payload, or null. */
  readonly accessTokenClaims = computed<Record<string, unknown> | null>(() => {
    const token = this.accessToken();
    if (!this.signedIn() || !token) return null;
    try {
      return readClaims(token) as Record<string, unknown>;
    } catch {
      return null;
    }
  });
  readonly subject = computed(() => {
    const sub = this.accessTokenClaims()?.['sub'];
    return typeof sub === 'string' ? sub : null;
  });

  /** Why the last return from the provider did not sign in (state mismatch, token error…), or null. */
  readonly problem = signal<string | null>(null);

  /**
   * Run once at start-up (app initializer): completes a sign-in when the provider just
   * redirected back with a code (exchanging it for tokens), else restores a stored session.
   */
  async restore(): Promise<void> {
    const result = await firstValueFrom(this.oidc.checkAuth());
    this.problem.set(result.isAuthenticated ? null : (result.errorMessage ?? null));
  }

  /** Starts the authorization code flow: the browser leaves for the provider. */
  signIn(): void {
    this.oidc.authorize();
  }

  /**
   * Forgets the tokens (every tab shares them), the HMAC keys (`ClientJwtService.clear()`:
   * the stored ones of every tab) and this tab's request log. The provider asks for the
   * password again anyway (prompt=login).
   */
  async signOut(): Promise<void> {
    this.oidc.logoffLocal();
    try {
      // The keys are gone before the next page can sign with one; if the key store fails,
      // sign-out still completes and the error is reported.
      await this.clientJwts.clear();
    } finally {
      this.log.clear();
      await this.router.navigateByUrl('/sign-in');
    }
  }
}
