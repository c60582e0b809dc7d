import { Injectable } from '@angular/core';
import type { HmacJwk } from '../../protocol';
import { generateHmacJwk } from './hmac-key';

/**
 * Generates the per-token HMAC key (protocol section 3): 256 bits from WebCrypto,
 * as a JWK `{"kty":"oct","alg":"HS256","kid","k"}`. Injectable so tests can supply known keys.
 */
@Injectable({ providedIn: 'root' })
export class HmacKeyGenerator {
  generateHmacKey(): Promise<HmacJwk> {
    return generateHmacJwk();
  }
}
