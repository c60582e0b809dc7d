import { DOCUMENT, PlatformLocation } from '@angular/common';
import { inject, InjectionToken } from '@angular/core';

/**
 * The page's base URI, or undefined where there is none to read. Reading `baseURI` is
 * guarded: the DOM emulation used for server-side rendering does not implement it and throws.
 */
export function documentBaseUri(doc: Document | undefined = globalThis.document): string | undefined {
  try {
    const base = doc?.baseURI;
    return typeof base === 'string' && base.length > 0 ? base : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The URL relative request URLs resolve against, read on each call (a `<base href>` may be
 * changed at run time). In a browser: `document.baseURI`. Under server-side rendering:
 * the URL being rendered, from Angular's `PlatformLocation`, as `@angular/platform-server`
 * itself resolves relative `HttpClient` URLs. Undefined when neither is known: then a
 * relative URL belongs to no resource server and cannot be signed.
 */
export const POP_BASE_URI = new InjectionToken<() => string | undefined>('POP_BASE_URI', {
  providedIn: 'root',
  factory: () => {
    const doc = inject(DOCUMENT, { optional: true }) ?? undefined;
    const location = inject(PlatformLocation, { optional: true });
    return () => documentBaseUri(doc) ?? (location ? locationBaseUri(location) : undefined);
  },
});

function locationBaseUri(location: PlatformLocation): string | undefined {
  try {
    const { protocol, hostname, port } = location;
    if (protocol !== 'http:' && protocol !== 'https:') return undefined;
    const origin = `${protocol}//${hostname}${port ? `:${port}` : ''}`;
    return new URL(location.getBaseHrefFromDOM() || location.href, origin).href;
  } catch {
    return undefined;
  }
}
