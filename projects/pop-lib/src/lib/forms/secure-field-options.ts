import { InjectionToken, makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import { DEFAULT_SECRET_MAX_AGE_SECONDS, MAX_SECRET_MAX_AGE_SECONDS } from '../../protocol';
import { PopError } from '../errors/pop-error';

/** App-wide defaults for `secureField` inputs. */
export interface SecureFieldOptions {
  /**
   * The URL secrets are encrypted for when the directive names none (`<input secureField>`):
   * the endpoint the form is sent to, e.g. `'/idp/token'`. Its resource server's key is used,
   * and it becomes the JWE's `aud`.
   */
  target?: string;
  /** Wipe the typed plaintext from the input when its form is submitted. Default true. */
  clearOnSubmit?: boolean;
  /**
   * Age in seconds at which a field's JWE is re-encrypted from the input's current text
   * (new `iat` and `jti`), 10 to 3599. Default 240. Keep it well under the server's maximum
   * age (`decryptCredential`'s `maxAgeSeconds`, 600 by default) minus the time a request takes.
   */
  refreshAfterSeconds?: number;
}

/** The default refresh age: less than half the server's default maximum age of a secret's JWE. */
export const DEFAULT_SECURE_FIELD_REFRESH_SECONDS = 240;
/** Refreshing more often would keep a field PENDING for no gain. */
const MIN_REFRESH_SECONDS = 10;

/** `SecureFieldOptions` with the defaults filled in. */
export interface ResolvedSecureFieldOptions {
  target?: string;
  clearOnSubmit: boolean;
  refreshAfterSeconds: number;
}

const MEMBERS = ['target', 'clearOnSubmit', 'refreshAfterSeconds'];

export const SECURE_FIELD_OPTIONS = new InjectionToken<SecureFieldOptions>('SECURE_FIELD_OPTIONS');

/**
 * `providers: [provideSecureField({ target: '/api/pin' })]`: defaults for every `secureField`.
 * Validates at once: bad options throw `PopError('config_invalid')` listing every problem.
 */
export function provideSecureField(options: SecureFieldOptions): EnvironmentProviders {
  validateSecureFieldOptions(options);
  return makeEnvironmentProviders([{ provide: SECURE_FIELD_OPTIONS, useValue: options }]);
}

/** Checks `options` (undefined: all defaults) and fills in the defaults; `config_invalid` otherwise. */
export function validateSecureFieldOptions(options: SecureFieldOptions | null | undefined): ResolvedSecureFieldOptions {
  if (options === null || options === undefined) return { clearOnSubmit: true, refreshAfterSeconds: DEFAULT_SECURE_FIELD_REFRESH_SECONDS };
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new PopError('config_invalid', 'The secureField options must be an object: provideSecureField({ target, clearOnSubmit, refreshAfterSeconds }).');
  }
  const problems = Object.keys(options)
    .filter((member) => !MEMBERS.includes(member))
    .map((member) => `unknown member "${member}" (known: ${MEMBERS.join(', ')})`);
  const { target, clearOnSubmit, refreshAfterSeconds } = options;
  if (target !== undefined && (typeof target !== 'string' || target.length === 0)) problems.push('target: must be a non-empty URL string');
  if (clearOnSubmit !== undefined && typeof clearOnSubmit !== 'boolean') problems.push('clearOnSubmit: must be true or false');
  const maxRefresh = MAX_SECRET_MAX_AGE_SECONDS - 1;
  if (refreshAfterSeconds !== undefined && (!Number.isInteger(refreshAfterSeconds) || refreshAfterSeconds < MIN_REFRESH_SECONDS || refreshAfterSeconds > maxRefresh)) {
    problems.push(`refreshAfterSeconds: must be an integer from ${MIN_REFRESH_SECONDS} to ${maxRefresh}, well under the server's maximum age (default ${DEFAULT_SECRET_MAX_AGE_SECONDS})`);
  }
  if (problems.length > 0) {
    throw new PopError('config_invalid', `The secureField options are invalid:\n- ${problems.join('\n- ')}`);
  }
  return {
    ...(target === undefined ? {} : { target }),
    clearOnSubmit: clearOnSubmit ?? true,
    refreshAfterSeconds: refreshAfterSeconds ?? DEFAULT_SECURE_FIELD_REFRESH_SECONDS,
  };
}
