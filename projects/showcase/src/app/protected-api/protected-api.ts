import { DatePipe } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import { Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { isPopError } from 'pop-lib';
import { Session } from '../auth/session';
import { ExchangeView } from '../exchange/exchange-view';
import { carriedHmacKey, pathOf, RequestLog } from '../traffic/request-log';
import { keyRegistrations } from './key-registrations';

interface Account {
  id: string;
  name: string;
  balance: number;
  currency: string;
}

/**
 * Calls the bank's protected `GET /api/accounts` with plain `HttpClient`: no header is set here.
 * The auth library adds the access token, pop-lib wraps it into a ClientJWT. The page shows the
 * call from both ends, lets you attack it with what a proxy logged, and lists every signed
 * request of the session, including which one registered the HMAC key.
 */
@Component({
  selector: 'app-protected-api',
  imports: [RouterLink, DatePipe, ExchangeView],
  templateUrl: './protected-api.html',
})
export class ProtectedApi {
  private readonly http = inject(HttpClient);
  private readonly log = inject(RequestLog);
  protected readonly session = inject(Session);

  private readonly sentAfter = signal<number | null>(null);
  /** This page's last call, once pop-lib has signed and sent it. */
  protected readonly sent = computed(() => {
    const after = this.sentAfter();
    return after === null ? null : this.log.lastTo('/api/accounts', after);
  });
  protected readonly accounts = computed(() => {
    const body = this.sent()?.response?.body as { accounts?: Account[] } | null | undefined;
    return body?.accounts ?? null;
  });
  protected readonly signed = this.log.signed;
  protected readonly registrations = computed(() => keyRegistrations(this.signed()));
  protected readonly failure = signal<string | null>(null);

  protected call(): void {
    this.failure.set(null);
    this.sentAfter.set(this.log.lastId());
    this.http.get<unknown>('/api/accounts').subscribe({
      error: (error: unknown) => {
        // HTTP errors are in the log; a PopError means pop-lib refused to send (never the bare token).
        if (isPopError(error)) this.failure.set(`${error.code}: ${error.message}`);
      },
    });
  }
  protected readonly pathOf = pathOf;
  protected readonly carriedHmacKey = carriedHmacKey;
}
