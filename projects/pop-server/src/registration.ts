/**
 * A key registration: the one HMAC key an access token is bound to (protocol §4), stored under
 * `tok:{sha256(access_token)}` with set-if-absent, so the first key registered for a token is
 * the only one it will ever be used with, atomically across instances sharing a store. The
 * record also carries what the application's validator returned for the token, so later
 * requests (on any instance) skip the validator until `validatedUntil`.
 */
import { hash, timingSafeEqual, type KeyObject } from 'node:crypto';
import { base64url } from 'jose';
import { hs256Key } from './hs256.ts';

/** What the key store holds for a bound access token (JSON). */
export interface RegistrationRecord<T> {
  /** The HMAC key's kid. */
  kid: string;
  /** The HMAC key, base64url (the JWK's `k`). */
  k: string;
  /** The access token validator's result, as JSON. */
  claims: T;
  /** Until when (epoch ms) that result may be reused without calling the validator again. */
  validatedUntil: number;
  /** When the registration expires (epoch ms): the access token's `exp`, capped. */
  expiresAt: number;
}

/** A registration as a verifier instance keeps it in memory, with its imported key. */
export interface Registration<T> extends RegistrationRecord<T> {
  key: KeyObject;
}

/** The store key of an access token's registration; `ath` is `accessTokenHash(accessToken)`. */
export function registrationKey(ath: string): string {
  return `tok:${ath}`;
}

/** SHA-256 of the access token, base64url: the only form in which a token reaches the stores. */
export function accessTokenHash(accessToken: string): string {
  return hash('sha256', accessToken, 'base64url');
}

export function serialiseRegistration<T>(record: RegistrationRecord<T>): string {
  const { kid, k, claims, validatedUntil, expiresAt } = record;
  return JSON.stringify({ kid, k, claims, validatedUntil, expiresAt });
}

/** Parses a stored record; throws on anything that is not one (the caller fails closed). */
export function parseRegistration<T>(value: string): Registration<T> {
  const r = JSON.parse(value) as Partial<RegistrationRecord<T>>;
  if (typeof r.kid !== 'string' || typeof r.k !== 'string' || !Number.isFinite(r.validatedUntil) || !Number.isFinite(r.expiresAt) || !('claims' in r)) {
    throw new Error('corrupt key registration');
  }
  const record: RegistrationRecord<T> = { kid: r.kid, k: r.k, claims: r.claims as T, validatedUntil: r.validatedUntil as number, expiresAt: r.expiresAt as number };
  return { ...record, key: hs256Key(record.k) };
}

/** True when two base64url keys are the same key (constant time). */
export function sameKey(a: string, b: string): boolean {
  const x = base64url.decode(a);
  const y = base64url.decode(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Registrations this instance has seen, by `ath`: a warm request needs no store round trip.
 * Registrations never change once written (a token is bound to one key until it expires), so
 * a copy is valid until its `expiresAt`. Bounded: the oldest entry goes first.
 */
export class RegistrationCache<T> {
  private readonly entries = new Map<string, Registration<T>>();
  private readonly maxEntries: number;

  constructor(maxEntries: number) {
    this.maxEntries = maxEntries;
  }

  get(ath: string, now: number): Registration<T> | undefined {
    const entry = this.entries.get(ath);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(ath);
      return undefined;
    }
    return entry;
  }

  set(ath: string, registration: Registration<T>): void {
    if (this.maxEntries === 0) return;
    if (!this.entries.has(ath) && this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(ath, registration);
  }
}
