import { Injectable } from '@angular/core';

/** The highest 21 bits of a 53-bit value live in the upper 32-bit word. */
const HIGH_WORD_MASK = 0x1f_ffff;
const TWO_POW_32 = 0x1_0000_0000;

/**
 * Generates ClientJWT nonces (protocol section 3): a uniformly random safe integer
 * in [0, 2^53 - 1] from the browser's CSPRNG. Masking 64 random bits down to 53 keeps every
 * value equally likely (no modulo bias). Provide another implementation to make tests
 * deterministic.
 */
@Injectable({ providedIn: 'root' })
export class NonceGenerator {
  private readonly words = new Uint32Array(2);

  generateNonce(): number {
    crypto.getRandomValues(this.words);
    const high = (this.words[0] ?? 0) & HIGH_WORD_MASK;
    const low = this.words[1] ?? 0;
    return high * TWO_POW_32 + low;
  }
}
