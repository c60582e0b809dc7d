import { EnvironmentInjector, inject, InjectionToken, runInInjectionContext } from '@angular/core';
import type { OAuthToken } from '../tokens/access-token';
import { POP_CONFIG, type ResourceServerConfig } from './pop-config';

/** Asks the configured `tokenProvider` for a server's token; undefined when none is configured. */
export type ProvideToken = (server: ResourceServerConfig) => Promise<OAuthToken | null | undefined> | undefined;

/**
 * The configured `tokenProvider`, called in the application's injection context, so a provider
 * can `inject()` what it needs (an auth library's service) instead of being wired by hand.
 */
export const POP_TOKEN_PROVIDER = new InjectionToken<ProvideToken>('POP_TOKEN_PROVIDER', {
  providedIn: 'root',
  factory: () => {
    const provider = inject(POP_CONFIG, { optional: true })?.tokenProvider;
    const injector = inject(EnvironmentInjector);
    if (!provider) return () => undefined;
    return (server) => Promise.resolve(runInInjectionContext(injector, () => provider(server)));
  },
});
