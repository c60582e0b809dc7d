/*
 * pop-lib/pem: resource server keys given as PEM (SPKI) or in a Keycloak adapter file. A
 * separate entry point, so apps that configure JWKs (or none) do not carry the conversion code.
 */
export { pemKey, keycloakKey } from './pem-key';
export { pemToJwk, keycloakToJwk, JWKBuilder } from './pem-to-jwk';
export type { KeycloakAdapterConfig } from './keycloak-adapter-config';
