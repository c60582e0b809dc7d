import { HttpClient } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { RESOURCE_SERVER } from './consumer-env';

interface AccountsResponse {
  owner: string;
  balance: string;
}

/** Calls the resource server while rendering: on the server, this request goes through popInterceptor. */
@Component({
  selector: 'app-accounts',
  template: `
    @if (accounts(); as a) {
      <p id="accounts" data-state="verified">owner={{ a.owner }} balance={{ a.balance }}</p>
    } @else if (error(); as e) {
      <p id="accounts" data-state="failed">{{ e }}</p>
    } @else {
      <p id="accounts" data-state="pending"></p>
    }
  `,
})
export class Accounts {
  protected readonly accounts = signal<AccountsResponse | undefined>(undefined);
  protected readonly error = signal<string | undefined>(undefined);

  constructor() {
    inject(HttpClient)
      .get<AccountsResponse>(`${RESOURCE_SERVER}/accounts`)
      .subscribe({
        next: (accounts) => this.accounts.set(accounts),
        error: (error: unknown) => {
          // The whole error, with its cause in the message, for the test's failure report.
          const { code, message } = error as { code?: unknown; message?: unknown };
          this.error.set(`${typeof code === 'string' ? code : 'error'}: ${String(message)}`);
          console.error('accounts request failed', error);
        },
      });
  }
}
