import { ApplicationRef, PLATFORM_ID } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { SECURE_FIELD_TIMER } from './secure-field-timer';

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('SECURE_FIELD_TIMER', () => {
  it('in the browser: calls back after the delay, and not once cancelled', async () => {
    const timer = TestBed.inject(SECURE_FIELD_TIMER);
    const fired = jasmine.createSpy('fired');
    const cancelled = jasmine.createSpy('cancelled');
    timer.schedule(fired, 5);
    timer.schedule(cancelled, 5)();
    await wait(50);
    expect(fired).toHaveBeenCalledTimes(1);
    expect(cancelled).not.toHaveBeenCalled();
  });

  it('a pending check does not keep the application from becoming stable', async () => {
    const timer = TestBed.inject(SECURE_FIELD_TIMER);
    const cancel = timer.schedule(() => undefined, 60_000);
    const stable = TestBed.inject(ApplicationRef).whenStable().then(() => 'stable');
    expect(await Promise.race([stable, wait(1000).then(() => 'still waiting')])).toBe('stable');
    cancel();
  });

  it('on the server: schedules nothing (no timer holds a render open)', async () => {
    TestBed.configureTestingModule({ providers: [{ provide: PLATFORM_ID, useValue: 'server' }] });
    const fired = jasmine.createSpy('fired');
    const cancel = TestBed.inject(SECURE_FIELD_TIMER).schedule(fired, 0);
    await wait(30);
    expect(fired).not.toHaveBeenCalled();
    expect(() => cancel()).not.toThrow();
  });
});
