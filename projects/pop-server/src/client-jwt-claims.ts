/** The ClientJWT payload (protocol §3), checked for types after its signature was verified. */
import { VerificationError } from './errors.ts';
import { MAX_ACCESS_TOKEN_LENGTH, MAX_HMAC_KEY_JWE_LENGTH, MAX_HTM_LENGTH, MAX_HTU_LENGTH, type ClientJwtClaims } from './protocol.ts';

export type { ClientJwtClaims };

export function parseClaims(payload: Uint8Array): ClientJwtClaims {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    throw invalid('ClientJWT payload is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('ClientJWT payload is not a JSON object');
  const c = value as Record<string, unknown>;
  if (typeof c['access_token'] !== 'string' || c['access_token'].length === 0 || c['access_token'].length > MAX_ACCESS_TOKEN_LENGTH) {
    throw invalid('access_token missing or invalid');
  }
  if (!Number.isSafeInteger(c['nonce']) || (c['nonce'] as number) < 0) throw invalid('nonce must be a non-negative safe integer');
  if (!Number.isSafeInteger(c['timestamp']) || (c['timestamp'] as number) <= 0) throw invalid('timestamp must be epoch milliseconds');
  if (typeof c['exp'] !== 'number' || !Number.isFinite(c['exp'])) throw invalid('exp must be a NumericDate');
  if (typeof c['htm'] !== 'string' || c['htm'].length === 0 || c['htm'].length > MAX_HTM_LENGTH) throw invalid('htm missing or invalid');
  if (typeof c['htu'] !== 'string' || c['htu'].length === 0 || c['htu'].length > MAX_HTU_LENGTH) throw invalid('htu missing or invalid');
  if (c['hmac_key'] !== undefined && (typeof c['hmac_key'] !== 'string' || c['hmac_key'].length > MAX_HMAC_KEY_JWE_LENGTH)) {
    throw invalid('hmac_key must be a compact JWE string');
  }
  return c as unknown as ClientJwtClaims;
}

function invalid(description: string): VerificationError {
  return new VerificationError('invalid_token', description);
}
