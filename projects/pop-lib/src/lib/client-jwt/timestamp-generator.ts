import { inject, Injectable } from '@angular/core';
import { POP_CLOCK } from '../keys/pop-clock';
import { nextClockOffset } from './clock-offset';

/**
 * Generates ClientJWT timestamps (protocol section 3): milliseconds since the
 * epoch on the client clock, corrected per resource server by the offset learnt from that
 * server's `Date` response headers (see `nextClockOffset` for the rule). Offsets are kept
 * per server: one server's clock never shifts the timestamps sent to another.
 */
@Injectable({ providedIn: 'root' })
export class TimestampGenerator {
  private readonly clock = inject(POP_CLOCK);
  private readonly offsets = new Map<string, number>();

  /** The local clock (`POP_CLOCK`: provide another to control time in tests). */
  now(): number {
    return this.clock();
  }

  /** Corrected time for the server with this `baseUrl` (uncorrected when none is given). */
  generateTimestamp(baseUrl?: string): number {
    return Math.round(this.now() + this.offsetFor(baseUrl));
  }

  /** Server clock minus client clock, ms, as currently estimated (0 until learnt). */
  offsetFor(baseUrl?: string): number {
    return baseUrl === undefined ? 0 : (this.offsets.get(baseUrl) ?? 0);
  }

  /** Learns from a response of the server at `baseUrl` (its `Date` header, when readable). */
  observeServerDate(baseUrl: string, dateHeader: string | null, sentAt: number, receivedAt: number): void {
    const current = this.offsetFor(baseUrl);
    const next = nextClockOffset(dateHeader, sentAt, receivedAt, current);
    if (next !== current) this.offsets.set(baseUrl, next);
  }
}
