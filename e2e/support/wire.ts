/**
 * What went over the wire: every request the browser sent (as a TLS-terminating proxy logs
 * it), with the answer's status, and the tokens in it decoded the way anyone reading the log
 * can (they are signed or encrypted, not hidden).
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { BrowserContext, Request } from 'playwright-core';
import { CLIENT_JWT_TYP } from '../../projects/pop-server/src/protocol.ts';

export interface SentRequest {
  method: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
  /** The answer's status, once it came (0: none yet, or the request failed). */
  status: number;
}

/** A ClientJWT as anyone reads it out of an `Authorization` header. */
export interface LoggedClientJwt {
  jwt: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export class WireLog {
  readonly sent: SentRequest[] = [];
  private readonly entries = new Map<Request, SentRequest>();

  /** Records every request of every page of `context`, from now on. */
  constructor(context: BrowserContext) {
    context.on('request', (request) => {
      const url = request.url();
      const entry = { method: request.method(), url, path: new URL(url).pathname, headers: request.headers(), body: request.postData(), status: 0 };
      this.entries.set(request, entry);
      this.sent.push(entry);
    });
    context.on('response', (response) => {
      const entry = this.entries.get(response.request());
      if (entry) entry.status = response.status();
    });
  }

  /** How many requests have been sent so far: a mark for `since`. */
  mark(): number {
    return this.sent.length;
  }

  /** Requests sent after `mark` to `path` (and with `method`, if given). */
  since(mark: number, path: string | RegExp, method?: string): SentRequest[] {
    return this.sent.slice(mark).filter((r) => (typeof path === 'string' ? r.path === path : path.test(r.path)) && (!method || r.method === method));
  }

  /** Fails if `text` appears in any request's URL, headers or body. */
  assertNowhere(text: string, what: string): void {
    for (const r of this.sent) {
      const everything = `${r.url}\n${JSON.stringify(r.headers)}\n${r.body ?? ''}`;
      if (everything.includes(text)) throw new Error(`${r.method} ${r.url} carried ${what} in plaintext`);
    }
  }
}

/** The ClientJWT of a request's `Authorization: Bearer …` header, decoded; throws when there is none. */
export function clientJwtOf(request: SentRequest): LoggedClientJwt {
  const jwt = /^Bearer (\S+)$/.exec(request.headers['authorization'] ?? '')?.[1];
  if (!jwt) throw new Error(`${request.method} ${request.url} carried no bearer token`);
  const header = decodeProtectedHeader(jwt) as Record<string, unknown>;
  if (header['typ'] !== CLIENT_JWT_TYP) throw new Error(`${request.method} ${request.url} carried a bearer token that is not a ClientJWT`);
  return { jwt, header, payload: decodeJwt(jwt) as Record<string, unknown> };
}

/** A member of a request's JSON body. */
export function bodyMember(request: SentRequest, name: string): unknown {
  return (JSON.parse(request.body ?? '{}') as Record<string, unknown>)[name];
}
