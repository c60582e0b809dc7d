import type { ConfiguredKey } from 'pop-lib';
import { PopError } from 'pop-lib';
import type { KeycloakAdapterConfig } from './keycloak-adapter-config';
import { keycloakToJwk, pemToJwk } from './pem-to-jwk';

/**
 * A resource server's key given as a PEM SPKI public key, for `resourceServers[].key`:
 * `{ baseUrl: 'https://shop.example', key: pemKey(pem) }`. The shape is checked at once
 * (`config_invalid`); the key is converted (`pemToJwk`) and checked for encryption at first use.
 */
export function pemKey(pem: string): ConfiguredKey {
  if (typeof pem !== 'string' || !pem.includes('-----BEGIN PUBLIC KEY-----')) {
    throw new PopError('config_invalid', 'pemKey(pem): pem must be a PEM "-----BEGIN PUBLIC KEY-----" (SPKI) block.');
  }
  return { load: () => pemToJwk(pem) };
}

/**
 * A resource server's key given as a Keycloak adapter file (`keycloak.json` content, as an
 * object or its JSON text), whose `realm-public-key` is base64 DER SPKI: for
 * `resourceServers[].key`. The shape is checked at once (`config_invalid`); the key is
 * converted (`keycloakToJwk`) and checked for encryption at first use.
 */
export function keycloakKey(adapter: KeycloakAdapterConfig | string): ConfiguredKey {
  let parsed: unknown = adapter;
  if (typeof adapter === 'string') {
    try {
      parsed = JSON.parse(adapter);
    } catch (cause) {
      throw new PopError('config_invalid', 'keycloakKey(adapter): adapter is a string but not the JSON text of a keycloak.json file.', { cause });
    }
  }
  const realmKey: unknown = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>)['realm-public-key'] : undefined;
  if (typeof realmKey !== 'string' || realmKey.length === 0) {
    throw new PopError('config_invalid', 'keycloakKey(adapter): adapter must be keycloak.json content with a "realm-public-key".');
  }
  return { load: () => keycloakToJwk(adapter) };
}
