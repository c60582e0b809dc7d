import { Injectable } from '@angular/core';

/** The highest 21 bits of a 53-bit value live in the upper 32-bit word. */
const HIGH_WORD_MASK = 0x1f_ffff;
const TWO_POW_32 = 0x1_0000_0000;
/** Random words drawn per `getRandomValues` call: 128 nonces (each call costs a trip into the browser). */
const POOL_WORDS = 256;

/**
 * Generates ClientJWT nonces (protocol section 3): a uniformly random safe integer
 * in [0, 2^53 - 1] from the browser's CSPRNG. Masking 64 random bits down to 53 keeps every
 * value equally likely (no modulo bias). The random words are drawn 256 at a time and each is
 * used once. Provide another implementation to make tests deterministic.
 */
@Injectable({ providedIn: 'root' })
export class NonceGenerator {
  private readonly words = new Uint32Array(POOL_WORDS);
  /** Next unused word; the pool is drawn again when it is used up. */
  private next = POOL_WORDS;

  generateNonce(): number {
    if (this.next === POOL_WORDS) {
      crypto.getRandomValues(this.words);
      this.next = 0;
    }
    const high = (this.words[this.next] ?? 0) & HIGH_WORD_MASK;
    const low = this.words[this.next + 1] ?? 0;
    // Used words are wiped: a nonce is never handed out twice.
    this.words[this.next] = 0;
    this.words[this.next + 1] = 0;
    this.next += 2;
    return high * TWO_POW_32 + low;
  }
}
