import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkAdapterOptions, joinOriginAndTarget, originFromRequest } from './adapter-options.ts';
import { PopServerConfigError } from './errors.ts';

const verifier = { verify: () => Promise.reject(new Error('unused')) };

function problemsOf(options: unknown, v: unknown = verifier): readonly string[] {
  try {
    checkAdapterOptions('adapter', v, options);
  } catch (e) {
    assert.ok(e instanceof PopServerConfigError);
    assert.equal(e.code, 'config_invalid');
    return e.problems;
  }
  return [];
}

describe('checkAdapterOptions', () => {
  it('accepts origins in normal form, with or without a trailing slash, and returns the origin', () => {
    assert.equal(checkAdapterOptions('a', verifier, { publicOrigin: 'https://bank.example' }).publicOrigin, 'https://bank.example');
    assert.equal(checkAdapterOptions('a', verifier, { publicOrigin: 'https://bank.example:8443/' }).publicOrigin, 'https://bank.example:8443');
    assert.equal(checkAdapterOptions('a', verifier, { publicOrigin: 'http://127.0.0.1:4300' }).publicOrigin, 'http://127.0.0.1:4300');
    assert.equal(checkAdapterOptions('a', verifier, { publicOrigin: 'https://[::1]:8443' }).publicOrigin, 'https://[::1]:8443');
    assert.equal(checkAdapterOptions('a', verifier, {}).publicOrigin, undefined);
  });

  it('refuses every publicOrigin that is not exactly an http(s) origin, naming the problem', () => {
    const cases: [unknown, RegExp][] = [
      ['https://bank.example/api', /must be an origin without path/],
      ['https://bank.example/?', /must be an origin without path, query or fragment/],
      ['https://bank.example#x', /must be an origin without path, query or fragment/],
      ['bank.example', /is not an absolute URL/],
      ['', /is not an absolute URL/],
      ['ftp://bank.example', /must use https/],
      ['javascript://bank.example', /must use https/],
      ['https://user@bank.example', /must not contain credentials/],
      ['https://Bank.Example', /not in normal form; write "https:\/\/bank\.example"/],
      ['https://bank.example:443', /not in normal form; write "https:\/\/bank\.example"/],
      [' https://bank.example', /not in normal form/],
      [42, /must be a string/],
    ];
    for (const [publicOrigin, problem] of cases) {
      const problems = problemsOf({ publicOrigin });
      assert.equal(problems.length, 1, `${String(publicOrigin)}: ${problems.join('; ')}`);
      assert.match(problems[0] ?? '', /^adapter: publicOrigin /);
      assert.match(problems[0] ?? '', problem, String(publicOrigin));
    }
  });

  it('lists every problem at once: verifier, unknown options, requestUrl', () => {
    assert.deepEqual(problemsOf({ publicOrign: 'https://bank.example', requestUrl: 1 }, {}), [
      'adapter: the first argument must be a verifier from createVerifier()',
      'adapter: unknown option "publicOrign" (known: publicOrigin, requestUrl)',
      'adapter: requestUrl must be a function',
    ]);
    assert.deepEqual(problemsOf(null), ['adapter: options must be an object']);
    assert.deepEqual(problemsOf('https://bank.example'), ['adapter: options must be an object']);
  });
});

describe('originFromRequest and joinOriginAndTarget', () => {
  it('builds origin + path, dropping the query', () => {
    assert.equal(joinOriginAndTarget(originFromRequest('https', 'bank.example'), '/api/accounts?x=1'), 'https://bank.example/api/accounts');
    assert.equal(joinOriginAndTarget(originFromRequest('http', '127.0.0.1:4300'), '/'), 'http://127.0.0.1:4300/');
    assert.equal(joinOriginAndTarget(originFromRequest('http', '[::1]:80'), '/a'), 'http://[::1]:80/a');
  });

  it('refuses hosts that could move the path or host, protocols other than http(s), and targets that are not origin-form', () => {
    for (const host of ['bank.example/api', 'bank.example?', 'evil@bank.example', 'bank.example:443/x', 'bank example', '', 'bank.example:', undefined]) {
      assert.equal(originFromRequest('https', host), undefined, String(host));
    }
    for (const protocol of ['javascript', 'file', 'https:', '']) assert.equal(originFromRequest(protocol, 'bank.example'), undefined, protocol);
    assert.equal(originFromRequest('HTTPS', 'bank.example'), 'https://bank.example');
    assert.equal(joinOriginAndTarget('https://bank.example', 'http://evil.example/x'), undefined);
    assert.equal(joinOriginAndTarget('https://bank.example', '*'), undefined);
    assert.equal(joinOriginAndTarget(undefined, '/x'), undefined);
    assert.equal(joinOriginAndTarget('https://bank.example', '//evil.example/x'), 'https://bank.example//evil.example/x');
  });
});
