import { InjectionToken, makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';

/** App-wide defaults for `secureField` inputs. */
export interface SecureFieldOptions {
  /**
   * The URL secrets are encrypted for when the directive names none (`<input secureField>`):
   * its resource server's key is used, e.g. `'/idp/token'` or `'https://bank.example/api'`.
   */
  target?: string;
  /** Wipe the typed plaintext from the input when its form is submitted. Default true. */
  clearOnSubmit?: boolean;
}

export const SECURE_FIELD_OPTIONS = new InjectionToken<SecureFieldOptions>('SECURE_FIELD_OPTIONS');

/** `providers: [provideSecureField({ target: '/api' })]`: defaults for every `secureField`. */
export function provideSecureField(options: SecureFieldOptions): EnvironmentProviders {
  return makeEnvironmentProviders([{ provide: SECURE_FIELD_OPTIONS, useValue: options }]);
}
