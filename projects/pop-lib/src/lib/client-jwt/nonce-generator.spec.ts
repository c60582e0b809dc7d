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
    const generator = new NonceGenerator();
    const fill = (value: number) =>
      spyOn(crypto, 'getRandomValues').and.callFake(<T extends ArrayBufferView | null>(array: T): T => {
        (array as unknown as Uint32Array).fill(value);
        return array;
      });
    fill(0xffffffff);
    expect(generator.generateNonce()).toBe(Number.MAX_SAFE_INTEGER);
    (crypto.getRandomValues as jasmine.Spy).and.callFake(<T extends ArrayBufferView | null>(array: T): T => {
      (array as unknown as Uint32Array).fill(0);
      return array;
    });
    expect(generator.generateNonce()).toBe(0);
  });
});
