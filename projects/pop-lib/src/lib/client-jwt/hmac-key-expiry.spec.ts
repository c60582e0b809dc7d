import { makeJwt } from '../testing/tokens';
import { hmacKeyRecordExpiry, MAX_HMAC_KEY_RECORD_MS, MIN_HMAC_KEY_RECORD_MS } from './hmac-key-expiry';

const NOW = Date.UTC(2026, 10, 22, 12);
const seconds = (ms: number): number => ms / 1000;

describe('hmacKeyRecordExpiry', () => {
  it('keeps a key until its token expires', async () => {
    expect(hmacKeyRecordExpiry(await makeJwt({ exp: seconds(NOW) + 3600 }), NOW)).toBe(NOW + 3_600_000);
  });

  it('caps a far-future exp, and a token without one, at 24 hours', async () => {
    expect(MAX_HMAC_KEY_RECORD_MS).toBe(86_400_000);
    expect(hmacKeyRecordExpiry(await makeJwt({ exp: seconds(NOW) + 10 * 86_400 }), NOW)).toBe(NOW + MAX_HMAC_KEY_RECORD_MS);
    expect(hmacKeyRecordExpiry(await makeJwt({ sub: 'alice' }), NOW)).toBe(NOW + MAX_HMAC_KEY_RECORD_MS);
    expect(hmacKeyRecordExpiry('opaque-access-token', NOW)).toBe(NOW + MAX_HMAC_KEY_RECORD_MS);
  });

  it('keeps the key of a token that looks expired for 5 minutes (clocks differ)', async () => {
    expect(hmacKeyRecordExpiry(await makeJwt({ exp: seconds(NOW) - 10 }), NOW)).toBe(NOW + MIN_HMAC_KEY_RECORD_MS);
  });

  it('treats a hostile exp as absent', async () => {
    for (const exp of ['9999999999', null, {}, [1]]) {
      expect(hmacKeyRecordExpiry(await makeJwt({ exp } as never), NOW)).withContext(String(exp)).toBe(NOW + MAX_HMAC_KEY_RECORD_MS);
    }
    expect(hmacKeyRecordExpiry(`${'a'.repeat(20_000)}.b.c`, NOW)).toBe(NOW + MAX_HMAC_KEY_RECORD_MS);
  });
});
