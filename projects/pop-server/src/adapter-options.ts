/**
 * What the framework adapters (Express, Fastify, Fetch API) share: their options, checked
 * when an adapter is created, and the absolute URL of a request, which the verifier compares
 * with the ClientJWT's `htu` (docs/protocol.md §3).
 */
import { PopServerConfigError } from './errors.ts';

export interface PopAdapterOptions<R> {
  /**
   * The origin clients address, e.g. `https://bank.example` (scheme, host and port, no path).
   * The URL compared with the ClientJWT's `htu` is this origin plus the path the server
   * received. Without it the origin comes from the request (`Host`, and `X-Forwarded-*` when
   * the framework is told to trust a proxy), which the client chooses: set it in production.
   */
  publicOrigin?: string;
  /**
   * Computes the absolute URL the client addressed, for deployments where a proxy also
   * rewrites the path (e.g. strips `/api`). Cannot be combined with `publicOrigin`.
   */
  requestUrl?: (request: R) => string;
}

const OPTION_NAMES = ['publicOrigin', 'requestUrl'];

/** An adapter's checked request-URL options: the normalised public origin (or undefined) and the URL override. */
export interface RequestUrlOptions<R> {
  publicOrigin: string | undefined;
  requestUrl: ((request: R) => string) | undefined;
}

/**
 * Checks an adapter's arguments; throws one `PopServerConfigError` listing every problem.
 * Returns the normalised public origin (or undefined) and the URL override.
 */
export function checkAdapterOptions<R>(adapter: string, verifier: unknown, options: unknown): RequestUrlOptions<R> {
  const problems: string[] = [];
  if (typeof (verifier as { verify?: unknown } | null)?.verify !== 'function') {
    problems.push(`${adapter}: the first argument must be a verifier from createVerifier()`);
  }
  return checkRequestUrlOptions(adapter, options, problems);
}

/** `publicOrigin` / `requestUrl` alone (for middleware without a verifier), added to `problems`. */
export function checkRequestUrlOptions<R>(adapter: string, options: unknown, problems: string[] = []): RequestUrlOptions<R> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new PopServerConfigError(`${adapter} options`, [...problems, `${adapter}: options must be an object`]);
  }
  const { publicOrigin, requestUrl } = options as Record<string, unknown>;
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.includes(name)) problems.push(`${adapter}: unknown option "${name}" (known: ${OPTION_NAMES.join(', ')})`);
  }
  let origin: string | undefined;
  if (publicOrigin !== undefined) {
    const checked = checkPublicOrigin(publicOrigin);
    if (typeof checked === 'string') origin = checked;
    else problems.push(`${adapter}: publicOrigin ${checked.problem}`);
  }
  if (requestUrl !== undefined && typeof requestUrl !== 'function') problems.push(`${adapter}: requestUrl must be a function`);
  if (requestUrl !== undefined && publicOrigin !== undefined) {
    problems.push(`${adapter}: give publicOrigin or requestUrl, not both (requestUrl computes the whole URL)`);
  }
  if (problems.length > 0) throw new PopServerConfigError(`${adapter} options`, problems);
  return { publicOrigin: origin, requestUrl: requestUrl as ((request: R) => string) | undefined };
}

/** `https://host[:port]` in the URL parser's normal form, or why the value is not an origin. */
function checkPublicOrigin(value: unknown): string | { problem: string } {
  const example = 'such as "https://api.example" (scheme, host and optional port)';
  if (typeof value !== 'string') return { problem: `must be a string ${example}` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `"${value}" is not an absolute URL; expected an origin ${example}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: `"${value}" must use https (or http)` };
  if (url.username !== '' || url.password !== '') return { problem: `"${value}" must not contain credentials` };
  if (url.pathname !== '/' || /[?#]/.test(value)) {
    return { problem: `"${value}" must be an origin without path, query or fragment, ${example}` };
  }
  // Anything the parser changed besides a trailing slash (case, default port, IDN) is
  // refused rather than silently rewritten, so the configured text is the compared text.
  if (value !== url.origin && value !== `${url.origin}/`) return { problem: `"${value}" is not in normal form; write "${url.origin}"` };
  return url.origin;
}

// A Host (or X-Forwarded-Host) value: a DNS name or IPv4 address, or a bracketed IPv6
// address, and an optional port. Anything else (a "/", "@", "?" or space smuggled into the
// header) could move the request's path or host in the URL built from it.
const HOST = /^(?:[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

/** `protocol://host`, or undefined when either is not something a client could have addressed. */
export function originFromRequest(protocol: string, host: string | undefined): string | undefined {
  const scheme = protocol.toLowerCase(); // RFC 3986 §3.1: schemes are case-insensitive
  if (scheme !== 'https' && scheme !== 'http') return undefined;
  if (host === undefined || !HOST.test(host)) return undefined;
  return `${scheme}://${host}`;
}

/**
 * The origin joined with the path of an origin-form request target (`/path?query`), query
 * dropped. The target is appended as text, never resolved as a URL: `//evil.example/x`
 * stays a path of `origin`. Undefined for other targets (absolute-form, `*`).
 */
export function joinOriginAndTarget(origin: string | undefined, target: string): string | undefined {
  if (origin === undefined || !target.startsWith('/')) return undefined;
  const query = target.indexOf('?');
  return origin + (query < 0 ? target : target.slice(0, query));
}

/** What Express and Fastify requests both expose (under the same names) to build the request URL from. */
export interface NodeFrameworkRequest {
  /** The scheme; follows the framework's `trust proxy` / `trustProxy` setting. */
  protocol: string;
  /** `Host` (or `X-Forwarded-Host` behind a trusted proxy). */
  host: string | undefined;
  /** The request target as the client sent it (`/path?query`). */
  originalUrl: string;
}

/**
 * The absolute URL the client addressed, for Express and Fastify: `requestUrl(request)`, else
 * `publicOrigin` or the request's own origin (`protocol` and `host`) plus the path of
 * `originalUrl`. An empty string when no URL can be formed, which the verifier refuses like
 * any other `htu` mismatch.
 */
export function requestUrlOf<R extends NodeFrameworkRequest>(options: RequestUrlOptions<R>): (request: R) => string {
  const { publicOrigin, requestUrl } = options;
  if (requestUrl) return requestUrl;
  return (request) => joinOriginAndTarget(publicOrigin ?? originFromRequest(request.protocol, request.host), request.originalUrl) ?? '';
}
