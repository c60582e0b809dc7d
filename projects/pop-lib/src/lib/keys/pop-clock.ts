import { InjectionToken } from '@angular/core';

/** Milliseconds since the epoch. Injectable so cache and cool-down tests need not wait. */
export const POP_CLOCK = new InjectionToken<() => number>('POP_CLOCK', {
  providedIn: 'root',
  factory: () => () => Date.now(),
});
