import { EnvironmentInjector, EnvironmentProviders, Provider, Type } from '@angular/core';

/** One benchmark page: the app it bootstraps, and the measurements it runs once started. */
export interface BenchPage {
  /** Root component (default: a plain status line). */
  component?: Type<unknown>;
  /** Providers the page's application is bootstrapped with, as a consumer app would. */
  providers: (Provider | EnvironmentProviders)[];
  /** Runs the measurements and prints their `BENCH {json}` lines. */
  run?(injector: EnvironmentInjector): Promise<void>;
}
