/**
 * Every failure the library reports has one of these stable codes (`PopError.code`).
 * Codes are part of the public API: add new ones, never rename or reuse one.
 * The README lists them with their meaning; keep the two in step.
 */
export type PopErrorCode =
  // Tokens (tokens/)
  | 'token_malformed'
  | 'token_too_large'
  | 'token_claim_invalid'
  // Configuration (config/)
  | 'config_invalid'
  // Key resolution (keys/)
  | 'key_not_found'
  | 'key_invalid'
  | 'key_private'
  | 'key_symmetric'
  | 'key_too_weak'
  | 'key_unsupported'
  | 'key_use_mismatch'
  | 'cnf_invalid'
  | 'jku_not_allowed'
  | 'jwks_fetch_failed'
  | 'jwks_invalid'
  | 'pem_invalid'
  // Credential encryption (credentials/)
  | 'secret_invalid'
  | 'secret_too_large'
  | 'encryption_failed'
  | 'secret_not_encrypted'
  | 'audience_invalid'
  // ClientJWT and interceptor (client-jwt/, http/)
  | 'no_resource_server'
  | 'no_access_token'
  | 'signing_failed'
  | 'token_bound_to_other_key'
  // Code loaded on first use (key-setup/)
  | 'load_failed';
