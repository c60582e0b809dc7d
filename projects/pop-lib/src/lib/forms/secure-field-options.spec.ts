import { DEFAULT_SECRET_MAX_AGE_SECONDS } from '../../protocol';
import { codeOf, errorOf } from '../testing/errors';
import { DEFAULT_SECURE_FIELD_REFRESH_SECONDS, provideSecureField, type SecureFieldOptions, validateSecureFieldOptions } from './secure-field-options';

describe('secureField options', () => {
  it('defaults: wipe on submit, refresh at 240 s (under half the server\'s default maximum age)', () => {
    expect(validateSecureFieldOptions(undefined)).toEqual({ clearOnSubmit: true, refreshAfterSeconds: 240 });
    expect(DEFAULT_SECURE_FIELD_REFRESH_SECONDS).toBeLessThan(DEFAULT_SECRET_MAX_AGE_SECONDS / 2);
  });

  it('keeps given values', () => {
    expect(validateSecureFieldOptions({ target: '/api/pin', clearOnSubmit: false, refreshAfterSeconds: 60 })).toEqual({
      target: '/api/pin',
      clearOnSubmit: false,
      refreshAfterSeconds: 60,
    });
  });

  it('refuses a refresh age that is not an integer from 10 to 3599 (a stale or never-fresh JWE), at provide time', async () => {
    for (const refreshAfterSeconds of [0, 9, -240, 3600, 86_400, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '240', null, true]) {
      const options = { refreshAfterSeconds } as unknown as SecureFieldOptions;
      const context = String(refreshAfterSeconds);
      expect(await codeOf(() => provideSecureField(options))).withContext(context).toBe('config_invalid');
      expect(String(errorOf(() => validateSecureFieldOptions(options)))).withContext(context).toContain('refreshAfterSeconds: must be an integer from 10 to 3599');
    }
    expect(await codeOf(() => provideSecureField({ refreshAfterSeconds: 10 }))).toBe('accepted');
    expect(await codeOf(() => provideSecureField({ refreshAfterSeconds: 3599 }))).toBe('accepted');
  });

  it('refuses unknown members, a bad target or clearOnSubmit, and lists every problem', () => {
    const message = String(errorOf(() => validateSecureFieldOptions({ target: '', clearOnSubmit: 'no', refreshAfter: 60 } as unknown as SecureFieldOptions)));
    expect(message).toContain('unknown member "refreshAfter"');
    expect(message).toContain('target: must be a non-empty URL string');
    expect(message).toContain('clearOnSubmit: must be true or false');
  });

  it('refuses options that are not an object', async () => {
    for (const options of ['x', 42, [1]]) {
      expect(await codeOf(() => provideSecureField(options as unknown as SecureFieldOptions))).withContext(String(options)).toBe('config_invalid');
    }
  });
});
