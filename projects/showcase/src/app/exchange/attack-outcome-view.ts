import { Component, computed, input } from '@angular/core';
import type { AttackKind, AttackOutcome } from '../attacks/attacks';
import { headerOf, toHttpText } from '../traffic/wire-request';

const WHAT_WAS_TRIED: Record<AttackKind, { title: string; how: string }> = {
  replay: {
    title: 'Replay, byte for byte',
    how: 'The logged request sent again with fetch: same URL, headers and body. Its nonce has been used.',
  },
  'stolen-bare': {
    title: 'Stolen access token, bare',
    how: 'The access_token copied out of the ClientJWT, sent as a plain bearer token to GET /api/accounts.',
  },
  'stolen-fresh-key': {
    title: "Stolen access token under the attacker's own HMAC key",
    how: "A new ClientJWT around the copied token, with a fresh HMAC key encrypted to the bank's public key (projects/showcase/src/app/attacks/forge-client-jwt.ts).",
  },
};

/** How the bank answered one attack, and whether the guarantee held. */
@Component({
  selector: 'app-attack-outcome',
  template: `
    @let o = outcome();
    <div class="outcome" [class.outcome--held]="o.refused" [class.outcome--broken]="!o.refused" [attr.data-testid]="'attack-outcome-' + o.kind">
      <p class="outcome__title">
        <span class="badge" [class.badge--ok]="o.refused" [class.badge--danger]="!o.refused">{{ o.refused ? 'Refused' : 'Accepted' }}</span>
        <strong>{{ what().title }}</strong>
      </p>
      <p class="pane__hint">{{ what().how }}</p>
      <p class="outcome__answer">
        <code data-testid="attack-status">{{ o.response.status }} {{ o.response.statusText }}</code>
        @if (challenge(); as c) {
          <code data-testid="attack-challenge">WWW-Authenticate: {{ c }}</code>
        }
      </p>
      @if (!challenge() && description(); as d) {
        <p class="outcome__description" data-testid="attack-description">{{ d }}</p>
      }
      @if (!o.refused && o.kind === 'stolen-fresh-key') {
        <p class="outcome__note">
          The guarantee did not hold: this server accepted the token under a second HMAC key. A pop-lib-server binds
          each access token to the first key registered with it (docs/protocol.md §4) and refuses any other key
          with <code>401 invalid_token</code>.
        </p>
      }
      <details class="disclosure">
        <summary>The request the attacker sent</summary>
        <pre class="wire">{{ wire() }}</pre>
      </details>
    </div>
  `,
})
export class AttackOutcomeView {
  readonly outcome = input.required<AttackOutcome>();
  protected readonly what = computed(() => WHAT_WAS_TRIED[this.outcome().kind]);
  protected readonly challenge = computed(() => headerOf(this.outcome().response.headers, 'WWW-Authenticate'));
  protected readonly description = computed(() => {
    const body = this.outcome().response.body as { error_description?: unknown } | null;
    return typeof body?.error_description === 'string' ? body.error_description : null;
  });
  protected readonly wire = computed(() => toHttpText(this.outcome().request));
}
