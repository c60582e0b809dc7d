/** The JWS `typ` of a ClientJWT (protocol section 3). */
export const CLIENT_JWT_TYPE = 'client+jwt';

/** Protected header of a ClientJWT. */
export interface ClientJwtHeader {
  alg: 'HS256';
  typ: typeof CLIENT_JWT_TYPE;
  /** The HMAC key's `kid`. */
  kid: string;
}

/** Payload of a ClientJWT (protocol section 3). */
export interface ClientJwtClaims {
  /** The bearer token being wrapped. */
  access_token: string;
  /** Uniformly random safe integer, new for every request. */
  nonce: number;
  /** Milliseconds since the epoch, corrected to the server's clock. */
  timestamp: number;
  /** NumericDate (seconds): `floor(timestamp / 1000) + lifetime`. */
  exp: number;
  /** HTTP method of the request. */
  htm: string;
  /** Absolute request URL without query and fragment. */
  htu: string;
  /** Compact JWE of the HMAC JWK for the server; only until the server has accepted the key. */
  hmac_key?: string;
}

/** Default ClientJWT lifetime, seconds. */
export const DEFAULT_CLIENT_JWT_LIFETIME_SECONDS = 30;
/** Longest lifetime the builder accepts: a ClientJWT is meant to be short-lived. */
export const MAX_CLIENT_JWT_LIFETIME_SECONDS = 3600;
