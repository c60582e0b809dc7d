import { TestBed } from '@angular/core/testing';
import { POP_CLOCK } from '../keys/pop-clock';
import { TimestampGenerator } from './timestamp-generator';

describe('TimestampGenerator', () => {
  let now: number;
  let timestamps: TimestampGenerator;

  beforeEach(() => {
    now = Date.UTC(2026, 10, 22, 12, 0, 0, 250);
    TestBed.configureTestingModule({ providers: [{ provide: POP_CLOCK, useValue: () => now }] });
    timestamps = TestBed.inject(TimestampGenerator);
  });

  it('returns the local clock in milliseconds until an offset is learnt', () => {
    expect(timestamps.generateTimestamp('/api')).toBe(now);
    expect(timestamps.generateTimestamp()).toBe(now);
  });

  it('corrects by the offset learnt from that server\'s Date header, and only for that server', () => {
    const serverTime = now + 120_000;
    timestamps.observeServerDate('/api', new Date(serverTime).toUTCString(), now - 40, now);
    const offset = timestamps.offsetFor('/api');
    expect(Math.abs(offset - 120_000)).toBeLessThan(1000);
    expect(timestamps.generateTimestamp('/api')).toBe(now + offset);
    expect(timestamps.generateTimestamp('/other')).toBe(now);
    expect(timestamps.generateTimestamp()).toBe(now);
  });

  it('does not move for a skew the Date header cannot resolve', () => {
    timestamps.observeServerDate('/api', new Date(now).toUTCString(), now - 10, now);
    expect(timestamps.offsetFor('/api')).toBe(0);
  });
});
