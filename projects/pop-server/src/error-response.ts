/**
 * The HTTP answer to a `VerificationError`, framework-agnostic: every adapter sends exactly
 * this. 401s carry the RFC 6750 `WWW-Authenticate` challenge the client reads
 * (`unknown_hmac_key` makes it retry with `hmac_key`); 503s ask to retry after a second.
 */
import type { VerificationError } from './errors.ts';

export interface VerificationErrorResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON: `{"error": "<code>", "error_description": "<text>"}`. */
  body: string;
}

export function verificationErrorResponse(e: VerificationError): VerificationErrorResponse {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
  if (e.status === 401) headers['WWW-Authenticate'] = e.wwwAuthenticate;
  if (e.status === 503) headers['Retry-After'] = '1';
  return { status: e.status, headers, body: JSON.stringify({ error: e.error, error_description: e.description }) };
}
