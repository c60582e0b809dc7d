import type { Exchange } from '../traffic/request-log';
import { keyRegistrations } from './key-registrations';

function signed(id: number, kid: string, hmacKey: boolean, status: number | null): Exchange {
  return {
    id,
    sentAt: 0,
    request: { method: 'GET', url: 'http://h/api/accounts', headers: [], body: null },
    clientJwt: { jwt: 'x', header: { kid }, payload: hmacKey ? { hmac_key: 'eyJ' } : {} },
    response: status === null ? null : { status, statusText: '', headers: [], body: null },
  };
}

describe('keyRegistrations', () => {
  it('names, per HMAC key, the first request that carried it and was accepted', () => {
    const registrations = keyRegistrations([signed(1, 'a', true, 503), signed(2, 'a', true, 200), signed(3, 'a', false, 200), signed(4, 'b', true, null)]);
    expect(registrations.map((r) => [r.kid, r.registeredBy?.id ?? null, r.knownBefore, r.uses])).toEqual([
      ['a', 2, false, 3],
      ['b', null, false, 1],
    ]);
  });

  it('says when the bank knew a key before this log began (another tab registered it)', () => {
    const [registration] = keyRegistrations([signed(1, 'a', false, 200), signed(2, 'a', true, 200)]);
    expect(registration).toEqual(jasmine.objectContaining({ kid: 'a', registeredBy: null, knownBefore: true, uses: 2 }));
  });
});
