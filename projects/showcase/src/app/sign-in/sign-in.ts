import { Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Session } from '../auth/session';
import { ExchangeView } from '../exchange/exchange-view';
import { pathOf, RequestLog, type Exchange } from '../traffic/request-log';
import { describeKeyHint } from './key-hint';

/**
 * Signing in with angular-auth-oidc-client against the showcase's OpenID provider; once signed
 * in, the access token it got for the bank, and what the login and token requests showed a proxy.
 */
@Component({
  selector: 'app-sign-in',
  imports: [RouterLink, ExchangeView],
  templateUrl: './sign-in.html',
})
export class SignIn {
  protected readonly session = inject(Session);
  private readonly log = inject(RequestLog);

  protected readonly claims = this.session.accessTokenClaims;
  protected readonly keyHint = computed(() => describeKeyHint(this.claims()));
  protected readonly claimsJson = computed(() => JSON.stringify(this.claims(), null, 2));
  protected readonly expires = computed(() => {
    const exp = this.claims()?.['exp'];
    return typeof exp === 'number' ? new Date(exp * 1000).toLocaleTimeString() : null;
  });
  /** The successful login (password JWE) and token exchange of this session. */
  protected readonly login = computed(() => lastOf(this.log.exchanges(), (e) => /^\/idp\/interaction\/[^/]+\/login$/.test(pathOf(e)) && e.response?.status === 200));
  protected readonly tokenExchange = computed(() => lastOf(this.log.exchanges(), (e) => pathOf(e) === '/idp/token'));
}

function lastOf(exchanges: readonly Exchange[], match: (e: Exchange) => boolean): Exchange | null {
  return exchanges.filter(match).at(-1) ?? null;
}
