/**
 * The ClientJWT (docs/protocol.md section 3): an HS256 JWS that wraps a bearer token with a
 * fresh nonce, a timestamp, a short expiry and the request it is for (`htm`/`htu`, as DPoP,
 * RFC 9449), signed with an HMAC key the client registered with the resource server.
 */

/** The only JWS algorithm of a ClientJWT. */
export const CLIENT_JWT_ALG = 'HS256';
/** The JWS `typ` of a ClientJWT. */
export const CLIENT_JWT_TYP = 'client+jwt';

/** Protected header of a ClientJWT. */
export interface ClientJwtHeader {
  alg: typeof CLIENT_JWT_ALG;
  typ: typeof CLIENT_JWT_TYP;
  /** The HMAC key's `kid`. */
  kid: string;
}

/** Payload of a ClientJWT. */
export interface ClientJwtClaims {
  /** The bearer token being wrapped. */
  access_token: string;
  /** Uniformly random safe integer, new for every request. */
  nonce: number;
  /** Milliseconds since the epoch, corrected to the server's clock. */
  timestamp: number;
  /** NumericDate (seconds): `floor(timestamp / 1000) + lifetime`. */
  exp: number;
  /** HTTP method of the request, upper case. */
  htm: string;
  /** Absolute request URL without query and fragment (see `toHtu`). */
  htu: string;
  /** Compact JWE of the HMAC JWK for the server; sent until the server has accepted the key. */
  hmac_key?: string;
}

/** ClientJWT lifetime (`exp - timestamp`) the client uses unless configured otherwise. */
export const DEFAULT_CLIENT_JWT_LIFETIME_SECONDS = 30;
/** Longest lifetime either side allows: a ClientJWT is meant to be short-lived. */
export const MAX_CLIENT_JWT_LIFETIME_SECONDS = 120;
/** Clock difference tolerated by the server for `timestamp`, `exp` and a secret's `iat`. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 30;
/** Largest clock skew a server may be configured to tolerate. */
export const MAX_CLOCK_SKEW_SECONDS = 300;
