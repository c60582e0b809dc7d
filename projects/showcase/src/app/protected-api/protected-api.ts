import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { SessionStore } from '../session/session-store';
import { ClientJwtLog } from './client-jwt-log';

/**
 * Calls the bank's protected `GET /api/accounts` through plain `HttpClient`: no header is set
 * here. pop-lib's interceptor takes the token from the session (the configured token
 * provider), wraps it into a ClientJWT and signs it; the page shows what was sent.
 */
@Component({
  selector: 'app-protected-api',
  imports: [RouterLink],
  templateUrl: './protected-api.html',
})
export class ProtectedApi {
  private readonly http = inject(HttpClient);
  private readonly log = inject(ClientJwtLog);
  protected readonly session = inject(SessionStore);

  protected readonly status = signal<number | null>(null);
  protected readonly body = signal<string | null>(null);
  protected readonly failure = signal<string | null>(null);
  /** ClientJWTs recorded since the page opened, newest first. */
  private readonly since = signal(this.log.entries().length);
  protected readonly sent = computed(() => this.log.entries().slice(this.since()).reverse());
  protected readonly lastSent = computed(() => {
    const last = this.sent()[0];
    return last ? JSON.stringify({ header: last.header, payload: last.payload }, null, 2) : null;
  });

  protected call(): void {
    this.status.set(null);
    this.body.set(null);
    this.failure.set(null);
    this.http.get<unknown>('/api/accounts', { observe: 'response' }).subscribe({
      next: (response) => {
        this.status.set(response.status);
        this.body.set(JSON.stringify(response.body, null, 2));
      },
      error: (error: unknown) => {
        if (error instanceof HttpErrorResponse) {
          this.status.set(error.status);
          this.body.set(JSON.stringify({ error: error.error, wwwAuthenticate: error.headers.get('WWW-Authenticate') }, null, 2));
        } else {
          // A PopError: pop-lib refused to send the request rather than send the bare token.
          const code = (error as { code?: unknown }).code;
          this.failure.set(`${String(code ?? 'error')}: ${error instanceof Error ? error.message : String(error)}`);
        }
      },
    });
  }
}
