/** The ClientJWT payload (protocol §3), type-checked as soon as jose has decoded it. */
import { VerificationError } from './errors.ts';
import { MAX_ACCESS_TOKEN_LENGTH, MAX_HMAC_KEY_JWE_LENGTH, MAX_HTM_LENGTH, MAX_HTU_LENGTH, type ClientJwtClaims } from './protocol.ts';

export type { ClientJwtClaims };

/** The claims of a decoded ClientJWT payload, or `invalid_token` naming the first wrong one. */
export function checkClaims(c: Record<string, unknown>): ClientJwtClaims {
  const accessToken = c['access_token'];
  if (typeof accessToken !== 'string' || accessToken.length === 0 || accessToken.length > MAX_ACCESS_TOKEN_LENGTH) {
    throw invalid('access_token missing, empty or longer than the protocol allows');
  }
  if (!isNonNegativeSafeInteger(c['nonce'])) throw invalid('nonce must be a non-negative safe integer');
  if (!isNonNegativeSafeInteger(c['timestamp']) || c['timestamp'] === 0) throw invalid('timestamp must be epoch milliseconds');
  if (typeof c['exp'] !== 'number' || !Number.isFinite(c['exp'])) throw invalid('exp must be a NumericDate');
  if (!isBoundedString(c['htm'], MAX_HTM_LENGTH)) throw invalid('htm missing or invalid');
  if (!isBoundedString(c['htu'], MAX_HTU_LENGTH)) throw invalid('htu missing or invalid');
  if (c['hmac_key'] !== undefined && !isBoundedString(c['hmac_key'], MAX_HMAC_KEY_JWE_LENGTH)) {
    throw invalid('hmac_key must be a compact JWE string');
  }
  return c as unknown as ClientJwtClaims;
}

function isNonNegativeSafeInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isBoundedString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

function invalid(description: string): VerificationError {
  return new VerificationError('invalid_token', 'claims_invalid', description);
}
