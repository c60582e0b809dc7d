import type { Exchange } from '../traffic/request-log';

/** An HMAC key of this session and the request that registered it with the bank. */
export interface KeyRegistration {
  kid: string;
  /** The first request that carried the key (`hmac_key`) and got a 2xx: the bank registered the key then. */
  registeredBy: Exchange | null;
  /** Requests signed with the key. */
  uses: number;
}

/** Per HMAC key (by `kid`, in order of first use): which signed request registered it. */
export function keyRegistrations(signed: readonly Exchange[]): KeyRegistration[] {
  const byKid = new Map<string, KeyRegistration>();
  for (const exchange of signed) {
    const kid = String(exchange.clientJwt?.header['kid'] ?? '');
    const entry = byKid.get(kid) ?? { kid, registeredBy: null, uses: 0 };
    entry.uses++;
    const status = exchange.response?.status ?? 0;
    if (!entry.registeredBy && typeof exchange.clientJwt?.payload['hmac_key'] === 'string' && status >= 200 && status < 300) entry.registeredBy = exchange;
    byKid.set(kid, entry);
  }
  return [...byKid.values()];
}
