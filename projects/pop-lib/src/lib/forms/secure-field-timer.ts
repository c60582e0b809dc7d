import { isPlatformBrowser } from '@angular/common';
import { inject, InjectionToken, NgZone, PLATFORM_ID } from '@angular/core';

/** Schedules a `secureField`'s freshness checks; specs replace it to move time without waiting. */
export interface SecureFieldTimer {
  /** Calls `callback` (in Angular's zone) after `delayMs`; returns a function that cancels it. */
  schedule(callback: () => void, delayMs: number): () => void;
}

/**
 * Browser timers, started outside Angular's zone so a pending refresh never keeps the app
 * from becoming stable (nor counts as a pending task). On the server nothing is scheduled:
 * a rendered page has no one typing, and a timer would hold the render open.
 */
export const SECURE_FIELD_TIMER = new InjectionToken<SecureFieldTimer>('SECURE_FIELD_TIMER', {
  providedIn: 'root',
  factory: () => {
    if (!isPlatformBrowser(inject(PLATFORM_ID))) return { schedule: () => () => undefined };
    const zone = inject(NgZone);
    return {
      schedule: (callback, delayMs) => {
        const handle = zone.runOutsideAngular(() => setTimeout(() => zone.run(callback), delayMs));
        return () => clearTimeout(handle);
      },
    };
  },
});
