import { createEnvironmentInjector, EnvironmentInjector } from '@angular/core';
import { ClientJwtService } from '../client-jwt/client-jwt.service';
import { ClientJwtSigner } from '../client-jwt/client-jwt-signer';
import { hmacKeyStoreFactory, POP_HMAC_KEY_STORE } from '../client-jwt/pop-hmac-key-store';
import { TimestampGenerator } from '../client-jwt/timestamp-generator';

/** Test helper: one tab of the app, or the app after a reload. */
export interface Tab {
  clientJwt: ClientJwtService;
  close(): void;
}

/**
 * Test helper: another tab of the app configured in `parent` (or the same app after a
 * reload): its own `ClientJwtService` and key store connection, nothing in memory shared,
 * the same IndexedDB database (`POP_HMAC_KEY_DB_NAME` of `parent`) and Web Locks.
 */
export function openTab(parent: EnvironmentInjector): Tab {
  const injector = createEnvironmentInjector(
    [{ provide: POP_HMAC_KEY_STORE, useFactory: hmacKeyStoreFactory }, ClientJwtService, ClientJwtSigner, TimestampGenerator],
    parent,
  );
  return { clientJwt: injector.get(ClientJwtService), close: () => injector.destroy() };
}
