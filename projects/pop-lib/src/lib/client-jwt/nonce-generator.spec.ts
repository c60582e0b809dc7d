import { NonceGenerator } from './nonce-generator';

describe('NonceGenerator', () => {
  it('returns non-negative safe integers, different every time', () => {
    const generator = new NonceGenerator();
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const nonce = generator.generateNonce();
      expect(Number.isSafeInteger(nonce)).withContext(String(nonce)).toBeTrue();
      expect(nonce).toBeGreaterThanOrEqual(0);
      seen.add(nonce);
    }
    expect(seen.size).toBe(1000);
  });

  it('uses the whole 53-bit range (the top bit is set about half the time)', () => {
    const generator = new NonceGenerator();
    let topBitSet = 0;
    for (let i = 0; i < 1000; i++) if (generator.generateNonce() >= 2 ** 52) topBitSet++;
    // Binomial(1000, 0.5): outside [350, 650] has probability below 1e-20.
    expect(topBitSet).toBeGreaterThan(350);
    expect(topBitSet).toBeLessThan(650);
  });

  it('masks the random words to exactly 53 bits (no overflow, no modulo)', () => {
    const fill = (value: number) =>
      spyOn(crypto, 'getRandomValues').and.callFake(<T extends ArrayBufferView | null>(array: T): T => {
        (array as unknown as Uint32Array).fill(value);
        return array;
      });
    fill(0xffffffff);
    // A new generator for each fill: it draws its random words when it needs the first nonce.
    expect(new NonceGenerator().generateNonce()).toBe(Number.MAX_SAFE_INTEGER);
    (crypto.getRandomValues as jasmine.Spy).and.callFake(<T extends ArrayBufferView | null>(array: T): T => {
      (array as unknown as Uint32Array).fill(0);
      return array;
    });
    expect(new NonceGenerator().generateNonce()).toBe(0);
  });

  it('draws random words in batches, uses each word once, and draws again when they run out', () => {
    let draws = 0;
    let counter = 0;
    spyOn(crypto, 'getRandomValues').and.callFake(<T extends ArrayBufferView | null>(array: T): T => {
      draws++;
      const words = array as unknown as Uint32Array;
      // Distinct words, so a word used twice would show as a repeated nonce.
      for (let i = 0; i < words.length; i++) words[i] = counter++;
      return array;
    });
    const generator = new NonceGenerator();
    const nonces = new Set<number>();
    for (let i = 0; i < 300; i++) nonces.add(generator.generateNonce());
    expect(nonces.size).toBe(300);
    expect(draws).toBe(3); // 128 nonces per draw
  });
});
