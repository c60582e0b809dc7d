import { EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { PopConfig, POP_CONFIG } from './pop-config';
import { validatePopConfig } from './validate-pop-config';

/**
 * Configures pop-lib in a standalone app: `bootstrapApplication(App, { providers: [providePop({...})] })`.
 * Validates at once, so a bad configuration throws `PopError('config_invalid')` at start-up.
 */
export function providePop(config: PopConfig): EnvironmentProviders {
  const resolved = validatePopConfig(config);
  return makeEnvironmentProviders([{ provide: POP_CONFIG, useValue: resolved }]);
}
