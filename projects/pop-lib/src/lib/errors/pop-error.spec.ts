import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { ClientJwtService } from '../client-jwt/client-jwt.service';
import { HmacKeyGenerator } from '../client-jwt/hmac-key-generator';
import { providePop } from '../config/provide-pop';
import { KeyResolverService } from '../keys/key-resolver.service';
import { makeServerKey } from '../testing/resource-server-keys';
import { b64, makeJwt } from '../testing/tokens';
import { readClaims } from '../tokens/read-claims';
import { isPopError, PopError } from './pop-error';

const BANK = 'https://bank.example/api';

/** What `fn` throws or rejects with, as a PopError (fails the spec for anything else). */
async function popErrorOf(fn: () => unknown): Promise<PopError> {
  try {
    await fn();
  } catch (e) {
    if (isPopError(e)) return e;
    throw new Error(`expected a PopError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a PopError, but nothing was thrown');
}

describe('PopError', () => {
  it('keeps the code, the message and the name', () => {
    const error = new PopError('key_not_found', 'No key.');
    expect(error.code).toBe('key_not_found');
    expect(error.message).toBe('No key.');
    expect(error.name).toBe('PopError');
    expect(error).toBeInstanceOf(Error);
    expect(isPopError(error, 'key_not_found')).toBeTrue();
    expect(isPopError(error, 'key_invalid')).toBeFalse();
  });

  it("ends its message with the cause's name and message, and keeps the cause", () => {
    // What Angular's server-side DOM emulation throws for an unimplemented property.
    const cause = new Error('NotYetImplemented');
    const error = new PopError('signing_failed', 'The HMAC key for ClientJWTs could not be set up.', { cause });
    expect(error.message).toBe('The HMAC key for ClientJWTs could not be set up: Error: NotYetImplemented');
    expect(error.cause).toBe(cause);
  });

  it('names WebCrypto DOMExceptions and HttpClient errors by their own names', () => {
    const dom = new PopError('encryption_failed', 'Encryption failed.', { cause: new DOMException('The operation failed.', 'OperationError') });
    expect(dom.message).toBe('Encryption failed: OperationError: The operation failed.');
    const http = new HttpErrorResponse({ url: `${BANK}/pop-keys.json`, status: 503, statusText: 'Service Unavailable' });
    const fetch = new PopError('jwks_fetch_failed', 'The JWKS could not be fetched.', { cause: http });
    expect(fetch.message).toBe(`The JWKS could not be fetched: HttpErrorResponse: ${http.message}`);
    expect(fetch.message).toContain('503 Service Unavailable');
  });

  it('appends a string cause, and leaves the message alone without a readable cause', () => {
    expect(new PopError('key_invalid', 'Bad key.', { cause: 'curve mismatch' }).message).toBe('Bad key: curve mismatch');
    expect(new PopError('key_invalid', 'Bad key.').message).toBe('Bad key.');
    expect(new PopError('key_invalid', 'Bad key.', { cause: undefined }).message).toBe('Bad key.');
    expect(new PopError('key_invalid', 'Bad key.', { cause: { status: 1 } }).message).toBe('Bad key.');
    expect(new PopError('key_invalid', 'Bad key.', { cause: 42 }).message).toBe('Bad key.');
    expect(new PopError('key_invalid', 'Bad key.', { cause: new Error('') }).message).toBe('Bad key: Error');
  });

  it('does not repeat a cause the message already quotes', () => {
    const cause = new TypeError('Invalid key data');
    const error = new PopError('key_invalid', `The EC key could not be imported: ${cause.message}`, { cause });
    expect(error.message).toBe('The EC key could not be imported: Invalid key data');
  });

  it('shows a whole chain: a PopError wrapping a PopError wrapping the root cause', () => {
    const root = new DOMException('Data provided to an operation does not meet requirements', 'DataError');
    const inner = new PopError('key_invalid', 'The key could not be imported.', { cause: root });
    const outer = new PopError('signing_failed', 'The HMAC key could not be set up.', { cause: inner });
    expect(outer.message).toBe(
      'The HMAC key could not be set up: PopError: The key could not be imported: DataError: Data provided to an operation does not meet requirements',
    );
  });

  it('bounds the cause text: a hostile server cannot flood the logs through an error message', () => {
    const flood = new Error('A'.repeat(1_000_000));
    const error = new PopError('jwks_fetch_failed', 'Fetching the JWKS failed.', { cause: flood });
    expect(error.message.startsWith('Fetching the JWKS failed: Error: AAAA')).toBeTrue();
    expect(error.message.length).toBeLessThan(400);
    expect(error.message.endsWith('…')).toBeTrue();
  });

  it('survives a cause whose getters throw (hostile objects never turn into a crash)', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('gotcha');
        },
      },
    );
    const error = new PopError('signing_failed', 'Signing failed.', { cause: hostile });
    expect(error.message).toBe('Signing failed.');
    expect(error.cause === hostile).toBeTrue();
  });

  it('never copies input quoted by a JSON SyntaxError (it may be token material) into the message', () => {
    let syntaxError: unknown;
    try {
      JSON.parse('TOPSECRETMATERIAL-0123456789');
    } catch (e) {
      syntaxError = e;
    }
    expect(String((syntaxError as Error).message)).toContain('TOPSECRET');
    const error = new PopError('token_malformed', 'The token payload is not JSON.', { cause: syntaxError });
    expect(error.message).toMatch(/^The token payload is not JSON: SyntaxError: \S/);
    expect(error.message).not.toContain('TOPSECRET');
    expect(error.cause).toBe(syntaxError);
  });

  it('keeps a malformed bearer token out of the message of the error that rejects it', async () => {
    // A three-segment token whose middle segment is not JSON (an opaque token format).
    const token = `eyJhbGciOiJIUzI1NiJ9.${b64('TOPSECRETMATERIAL-0123456789')}.c2ln`;
    const error = await popErrorOf(() => readClaims(token));
    expect(error.code).toBe('token_malformed');
    expect(error.message).toContain(': JWTInvalid: ');
    expect(error.message).not.toContain('TOPSECRET');
    expect(error.message).not.toContain(token.split('.')[1] ?? token);
  });

  it('surfaces the root cause through the real signing path (what a server-side render logs)', async () => {
    const server = await makeServerKey(BANK);
    TestBed.configureTestingModule({
      providers: [
        providePop({ resourceServers: [{ baseUrl: BANK }] }),
        { provide: KeyResolverService, useValue: { resolve: () => Promise.resolve(server.resolved) } },
        { provide: HmacKeyGenerator, useValue: { generateHmacKey: () => Promise.reject(new Error('NotYetImplemented')) } },
      ],
    });
    const accessToken = await makeJwt({ sub: 'alice' });
    const error = await popErrorOf(() => TestBed.inject(ClientJwtService).sign({ method: 'GET', url: `${BANK}/accounts`, accessToken }));
    expect(error.code).toBe('signing_failed');
    expect(error.message).toMatch(/: Error: NotYetImplemented$/);
    expect(error.message).not.toContain(accessToken);
  });
});
