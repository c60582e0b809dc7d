/**
 * oidc-provider's storage for the showcase: in memory, one store per provider instance, bounded,
 * entries dropped at their expiry. A deployment uses a shared database (Redis, SQL) instead, so
 * sessions and codes survive restarts and are seen by every instance.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

const MAX_ENTRIES = 10_000;
/** Models that belong to a grant and go when it is revoked. */
const GRANT_MEMBERS = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

export function memoryAdapterFactory(): (model: string) => Adapter {
  const entries = new Map<string, Entry>();
  const now = () => Date.now();

  function get(key: string): AdapterPayload | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  function set(key: string, payload: AdapterPayload, expiresIn: number | undefined): void {
    if (entries.size >= MAX_ENTRIES) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
    entries.delete(key); // re-insert: Map order is the eviction order
    entries.set(key, { payload, expiresAt: expiresIn ? now() + expiresIn * 1000 : Infinity });
  }

  return (model) => {
    const keyOf = (id: string) => `${model}:${id}`;
    const findBy = (member: 'uid' | 'userCode', value: string): AdapterPayload | undefined => {
      for (const [key, entry] of entries) {
        if (key.startsWith(`${model}:`) && entry.payload[member] === value) return get(key);
      }
      return undefined;
    };
    return {
      async upsert(id, payload, expiresIn) {
        set(keyOf(id), payload, expiresIn);
      },
      async find(id) {
        return get(keyOf(id));
      },
      async findByUid(uid) {
        return findBy('uid', uid);
      },
      async findByUserCode(userCode) {
        return findBy('userCode', userCode);
      },
      async consume(id) {
        const payload = get(keyOf(id));
        if (payload) payload.consumed = Math.floor(now() / 1000);
      },
      async destroy(id) {
        entries.delete(keyOf(id));
      },
      async revokeByGrantId(grantId) {
        for (const [key, entry] of entries) {
          if (GRANT_MEMBERS.has(key.slice(0, key.indexOf(':'))) && entry.payload.grantId === grantId) entries.delete(key);
        }
      },
    };
  };
}
