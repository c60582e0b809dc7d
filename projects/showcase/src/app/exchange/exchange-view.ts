import { Component, computed, input, signal } from '@angular/core';
import { replay, useStolenToken, type AttackOutcome } from '../attacks/attacks';
import { carriedHmacKey, pathOf, type Exchange } from '../traffic/request-log';
import { loggedSecrets } from '../traffic/secret-jwe-headers';
import { toHttpText } from '../traffic/wire-request';
import { AttackOutcomeView } from './attack-outcome-view';
import { serverReport } from './server-report';

/**
 * One request of the session, told from both ends: on the left what left the browser (what a
 * TLS-terminating proxy logs), on the right what the server verified and decrypted. Optionally
 * with the attacks an eavesdropper would try with what the log holds.
 */
@Component({
  selector: 'app-exchange',
  imports: [AttackOutcomeView],
  templateUrl: './exchange-view.html',
  styleUrl: './exchange-view.css',
})
export class ExchangeView {
  readonly exchange = input.required<Exchange>();
  /** Offer "replay" and "use the stolen token" (for requests that carried a ClientJWT). */
  readonly attacks = input(false);

  protected readonly path = computed(() => pathOf(this.exchange()));
  protected readonly wire = computed(() => toHttpText(this.exchange().request));
  protected readonly report = computed(() => serverReport(this.exchange()));
  protected readonly decodedClientJwt = computed(() => {
    const decoded = this.exchange().clientJwt;
    return decoded ? JSON.stringify({ header: decoded.header, payload: decoded.payload }, null, 2) : null;
  });
  /** The JWE headers of the body's secret fields: readable on the wire, authenticated by the encryption. */
  protected readonly secrets = computed(() => loggedSecrets(this.exchange().request.body).map((s) => ({ field: s.field, header: JSON.stringify(s.header, null, 2) })));
  protected readonly carriedHmacKey = computed(() => carriedHmacKey(this.exchange()));
  protected readonly responseBody = computed(() => JSON.stringify(this.exchange().response?.body ?? null, null, 2));

  protected readonly busy = signal(false);
  protected readonly outcomes = signal<readonly AttackOutcome[]>([]);
  protected readonly attackError = signal<string | null>(null);

  protected runReplay(): Promise<void> {
    return this.run(async () => [await replay(this.exchange())]);
  }

  protected runStolenToken(): Promise<void> {
    return this.run(() => useStolenToken(this.exchange()));
  }

  private async run(attack: () => Promise<AttackOutcome[]>): Promise<void> {
    this.busy.set(true);
    this.attackError.set(null);
    try {
      const done = await attack();
      // Newest attempt of each kind replaces the previous one.
      this.outcomes.update((list) => [...list.filter((o) => !done.some((d) => d.kind === o.kind)), ...done]);
    } catch (e) {
      this.attackError.set(e instanceof Error ? e.message : String(e));
    } finally {
      this.busy.set(false);
    }
  }
}
