import { carriedHmacKey, type Exchange } from '../traffic/request-log';

/** An HMAC key of this session and the request that registered it with the bank. */
export interface KeyRegistration {
  kid: string;
  /** The first request that carried the key (`hmac_key`) and got a 2xx: the bank registered the key then. */
  registeredBy: Exchange | null;
  /**
   * A request that carried only the key's `kid` got a 2xx: the bank knew the key already,
   * registered by a request this tab's log does not hold (another tab's: the key is shared).
   */
  knownBefore: boolean;
  /** Requests signed with the key. */
  uses: number;
}

/** Per HMAC key (by `kid`, in order of first use): which signed request registered it. */
export function keyRegistrations(signed: readonly Exchange[]): KeyRegistration[] {
  const byKid = new Map<string, KeyRegistration>();
  for (const exchange of signed) {
    const kid = String(exchange.clientJwt?.header['kid'] ?? '');
    const entry = byKid.get(kid) ?? { kid, registeredBy: null, knownBefore: false, uses: 0 };
    entry.uses++;
    const status = exchange.response?.status ?? 0;
    const accepted = status >= 200 && status < 300;
    const carriedKey = carriedHmacKey(exchange);
    if (!entry.registeredBy && carriedKey && accepted && !entry.knownBefore) entry.registeredBy = exchange;
    if (!entry.registeredBy && !carriedKey && accepted) entry.knownBefore = true;
    byKid.set(kid, entry);
  }
  return [...byKid.values()];
}
