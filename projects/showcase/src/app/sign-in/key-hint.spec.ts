import { describeKeyHint } from './key-hint';

describe('describeKeyHint', () => {
  it('names the claim that carries the bank key', () => {
    expect(describeKeyHint({ res_pub_key: { kty: 'EC', crv: 'P-256', kid: 'b1' } })?.claim).toBe('res_pub_key');
    expect(describeKeyHint({ cnf: { jku: 'http://h/api/pop-keys.json', kid: 'b1' } })).toEqual({ claim: 'cnf.jku', detail: "the URL of the bank's key set, http://h/api/pop-keys.json, key b1" });
    expect(describeKeyHint({ sub: 'alice' })).toBeNull();
    expect(describeKeyHint(null)).toBeNull();
  });
});
