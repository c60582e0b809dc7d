import { computed, Injectable, signal } from '@angular/core';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { headerOf, type WireRequest } from './wire-request';
import type { WireResponse } from './wire-response';

/** A ClientJWT's header and payload, decoded (anyone on the path can do this: it is signed, not encrypted). */
export interface DecodedClientJwt {
  jwt: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** One request of the session and, once it came, its response. */
export interface Exchange {
  /** 1, 2, 3… in the order the requests were sent this session. */
  id: number;
  sentAt: number;
  request: WireRequest;
  clientJwt: DecodedClientJwt | null;
  response: WireResponse | null;
}

const STORAGE_KEY = 'pop-showcase.request-log';
const MAX_ENTRIES = 40;

/**
 * Showcase only: the requests this session sent to the bank and the provider's login and token
 * endpoints, as they left the browser, with their responses. Kept in `sessionStorage` so the
 * story (which request registered the HMAC key, what the login sent) survives navigation and
 * reloads; cleared at sign-out.
 */
@Injectable({ providedIn: 'root' })
export class RequestLog {
  private readonly list = signal<readonly Exchange[]>(load());
  /** Oldest first. */
  readonly exchanges = this.list.asReadonly();
  /** Requests that carried a ClientJWT, oldest first. */
  readonly signed = computed(() => this.list().filter((e) => e.clientJwt !== null));

  record(request: WireRequest): number {
    const id = this.lastId() + 1;
    this.update((list) => [...list, { id, sentAt: Date.now(), request, clientJwt: decodeClientJwt(request), response: null }]);
    return id;
  }

  complete(id: number, response: WireResponse): void {
    this.update((list) => list.map((e) => (e.id === id ? { ...e, response } : e)));
  }

  find(id: number): Exchange | undefined {
    return this.list().find((e) => e.id === id);
  }

  /** The id of the newest entry; 0 when the log is empty. */
  lastId(): number {
    return this.list().at(-1)?.id ?? 0;
  }

  /** The newest request to `path` logged after the entry `afterId`; null when there is none. */
  lastTo(path: string, afterId = 0): Exchange | null {
    return this.list().filter((e) => e.id > afterId && pathOf(e) === path).at(-1) ?? null;
  }

  clear(): void {
    this.update(() => []);
  }

  private update(change: (list: readonly Exchange[]) => readonly Exchange[]): void {
    this.list.update((list) => change(list).slice(-MAX_ENTRIES));
    try {
      globalThis.sessionStorage?.setItem(STORAGE_KEY, JSON.stringify(this.list()));
    } catch {
      // storage full or disabled: the log lives in memory only
    }
  }
}

/** The request's path, without origin or query. */
export function pathOf(exchange: Exchange): string {
  return new URL(exchange.request.url).pathname;
}

/** Whether the request's ClientJWT carried the HMAC key (`hmac_key`), as the one that registers a key does. */
export function carriedHmacKey(exchange: Exchange): boolean {
  return typeof exchange.clientJwt?.payload['hmac_key'] === 'string';
}

/** The ClientJWT in `Authorization: Bearer …`, if the header holds one. */
export function decodeClientJwt(request: WireRequest): DecodedClientJwt | null {
  const jwt = /^Bearer (\S+)$/i.exec(headerOf(request.headers, 'Authorization') ?? '')?.[1];
  if (!jwt) return null;
  try {
    const header = decodeProtectedHeader(jwt) as Record<string, unknown>;
    return header['typ'] === 'client+jwt' ? { jwt, header, payload: decodeJwt(jwt) as Record<string, unknown> } : null;
  } catch {
    return null;
  }
}

function load(): readonly Exchange[] {
  try {
    const stored = globalThis.sessionStorage?.getItem(STORAGE_KEY);
    const parsed: unknown = stored ? JSON.parse(stored) : [];
    return Array.isArray(parsed) ? (parsed as Exchange[]) : [];
  } catch {
    return [];
  }
}
