import { KeyBag } from './key-bag';

describe('KeyBag', () => {
  const NS = 'https://bank.example/api';

  function bag(...entries: { kid?: string; use?: string; value: string }[]): KeyBag<string> {
    const b = new KeyBag<string>();
    b.replace(NS, entries);
    return b;
  }

  describe('with a kid: {kid}/{use}, then {kid}, then {kid}/*', () => {
    it('takes the key with that kid and use first, wherever it stands', () => {
      const b = bag({ kid: 'a', use: 'sig', value: 'a-sig' }, { kid: 'a', value: 'a-none' }, { kid: 'a', use: 'enc', value: 'a-enc' });
      expect(b.lookup(NS, 'a', 'enc')).toBe('a-enc');
    });

    it('then the key with that kid and no use', () => {
      const b = bag({ kid: 'a', use: 'sig', value: 'a-sig' }, { kid: 'a', value: 'a-none' }, { kid: 'b', use: 'enc', value: 'b-enc' });
      expect(b.lookup(NS, 'a', 'enc')).toBe('a-none');
    });

    it('then any key with that kid', () => {
      const b = bag({ kid: 'b', use: 'enc', value: 'b-enc' }, { kid: 'a', use: 'sig', value: 'a-sig' });
      expect(b.lookup(NS, 'a', 'enc')).toBe('a-sig');
    });

    it('never a key with another kid', () => {
      const b = bag({ kid: 'b', use: 'enc', value: 'b-enc' }, { use: 'enc', value: 'no-kid' });
      expect(b.lookup(NS, 'a', 'enc')).toBeUndefined();
    });
  });

  describe('without a kid: */{use}, then *, then */*', () => {
    it('takes the first key with the use asked for', () => {
      const b = bag({ kid: 'x', value: 'x-none' }, { kid: 's', use: 'sig', value: 's-sig' }, { kid: 'e1', use: 'enc', value: 'e1' }, { kid: 'e2', use: 'enc', value: 'e2' });
      expect(b.lookup(NS, undefined, 'enc')).toBe('e1');
      expect(b.lookup(NS, undefined, 'sig')).toBe('s-sig');
    });

    it('then the first key with no use', () => {
      const b = bag({ kid: 's', use: 'sig', value: 's-sig' }, { kid: 'n1', value: 'n1' }, { kid: 'n2', value: 'n2' });
      expect(b.lookup(NS, undefined, 'enc')).toBe('n1');
    });

    it('then any key', () => {
      const b = bag({ kid: 's', use: 'sig', value: 's-sig' }, { kid: 't', use: 'tls', value: 't' });
      expect(b.lookup(NS, undefined, 'enc')).toBe('s-sig');
    });
  });

  it('keeps base URLs apart', () => {
    const b = bag({ kid: 'a', use: 'enc', value: 'bank' });
    b.replace('https://bank.example/api/admin', [{ kid: 'a', use: 'enc', value: 'admin' }]);
    expect(b.lookup(NS, 'a', 'enc')).toBe('bank');
    expect(b.lookup('https://bank.example/api/admin', 'a', 'enc')).toBe('admin');
    expect(b.lookup('https://bank.example', 'a', 'enc')).toBeUndefined();
  });

  it('replace swaps the whole set, and a memoised hit does not survive it', () => {
    const b = bag({ kid: 'old', use: 'enc', value: 'old' });
    expect(b.lookup(NS, undefined, 'enc')).toBe('old');
    expect(b.lookup(NS, 'old', 'enc')).toBe('old');
    b.replace(NS, [{ kid: 'new', use: 'enc', value: 'new' }]);
    expect(b.lookup(NS, undefined, 'enc')).toBe('new');
    expect(b.lookup(NS, 'old', 'enc')).toBeUndefined();
  });

  it('a miss is not remembered: the kid is found once a new set holds it', () => {
    const b = bag({ kid: 'a', use: 'enc', value: 'a' });
    expect(b.lookup(NS, 'b', 'enc')).toBeUndefined();
    b.replace(NS, [{ kid: 'a', use: 'enc', value: 'a' }, { kid: 'b', use: 'enc', value: 'b' }]);
    expect(b.lookup(NS, 'b', 'enc')).toBe('b');
  });

  it('delete forgets a base URL', () => {
    const b = bag({ kid: 'a', use: 'enc', value: 'a' });
    expect(b.lookup(NS, 'a', 'enc')).toBe('a');
    b.delete(NS);
    expect(b.has(NS)).toBeFalse();
    expect(b.lookup(NS, 'a', 'enc')).toBeUndefined();
  });
});
