/** A `keycloak.json` adapter file, or the part of it the library reads. */
export interface KeycloakAdapterConfig {
  /** Base64 DER SPKI public key of the realm, without PEM armour. */
  'realm-public-key': string;
  [member: string]: unknown;
}
