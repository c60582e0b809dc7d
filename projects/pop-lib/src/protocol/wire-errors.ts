/**
 * What a resource server answers when it refuses a ClientJWT or a secret (docs/protocol.md
 * section 3): the `error` of the `WWW-Authenticate: Bearer` challenge (RFC 6750 section 3)
 * and of the JSON body.
 */
export const WIRE_ERROR_CODES = [
  /** Bad signature, expired, wrong htm/htu, malformed, too large, or the access token refused. */
  'invalid_token',
  /** The ClientJWT's kid is not (or no longer) registered: the client re-sends once with hmac_key. */
  'unknown_hmac_key',
  /** This kid and nonce were already seen. */
  'replayed_nonce',
  /** A secret field that is not a valid, fresh, single-use JWE for this endpoint (HTTP 400). */
  'invalid_request',
  /** The replay or key store did not answer: the server fails closed (HTTP 503). */
  'temporarily_unavailable',
] as const;
export type WireErrorCode = (typeof WIRE_ERROR_CODES)[number];

/**
 * The `error_description` of the `invalid_token` answer to a registration for an access
 * token already bound to another HMAC key. The client recognises exactly this text and
 * reports that a new access token is needed.
 */
export const TOKEN_BOUND_TO_ANOTHER_KEY = 'access_token is bound to another HMAC key';
