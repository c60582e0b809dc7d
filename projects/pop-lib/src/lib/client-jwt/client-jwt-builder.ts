import { PopError } from '../errors/pop-error';
import { assertBearerToken } from '../tokens/bearer-token';
import {
  type ClientJwtClaims,
  DEFAULT_CLIENT_JWT_LIFETIME_SECONDS,
  MAX_ACCESS_TOKEN_LENGTH,
  COMPACT_JWE_PATTERN,
  MAX_HMAC_KEY_JWE_LENGTH,
  toHtu,
} from '../../protocol';
import type { HmacSigningKey } from './hmac-key';
import { documentBaseUri } from '../config/page-base';
import { checkLifetime, clientJwtClaims, NonceSource, requireHtu, signClientJwt, TimestampSource, toHtm } from './client-jwt-claims';
import { NonceGenerator } from './nonce-generator';

const defaultNonces = new NonceGenerator();
const systemClock: TimestampSource = { generateTimestamp: () => Date.now() };

/**
 * Builds and signs one ClientJWT (protocol section 3). A builder is cheap: make
 * one per request.
 *
 * ```ts
 * const jwt = await new ClientJwtBuilder()
 *   .withAccessToken(accessToken)
 *   .withRequest('GET', 'https://bank.example/api/accounts')
 *   .withLifetime(30)
 *   .includeEncryptedHMAC(hmacKeyJwe)   // only until the server has accepted the key
 *   .build(signingKey);
 * ```
 */
export class ClientJwtBuilder {
  private accessToken?: string;
  private nonces: NonceSource = defaultNonces;
  private clock: TimestampSource = systemClock;
  private lifetimeSeconds: number = DEFAULT_CLIENT_JWT_LIFETIME_SECONDS;
  private htm?: string;
  private htu?: string;
  private hmacKeyJwe?: string;

  /** The bearer token to wrap; must be a valid RFC 6750 token of at most 8 KiB. */
  withAccessToken(accessToken: string): this {
    assertBearerToken(accessToken, 'The access token', MAX_ACCESS_TOKEN_LENGTH);
    this.accessToken = accessToken;
    return this;
  }

  withNonceGenerator(nonces: NonceSource): this {
    this.nonces = nonces;
    return this;
  }

  withTimestampGenerator(clock: TimestampSource): this {
    this.clock = clock;
    return this;
  }

  /** Validity in seconds (`exp - timestamp`), 1 to 120. Default 30. */
  withLifetime(seconds: number): this {
    this.lifetimeSeconds = checkLifetime(seconds);
    return this;
  }

  /**
   * The request the ClientJWT is for: sets `htm` and `htu` (query and fragment dropped). A
   * relative `url` resolves against `base`, by default the page's `document.baseURI`.
   */
  withRequest(method: string, url: string, base: string | undefined = documentBaseUri()): this {
    this.htm = toHtm(method);
    this.htu = requireHtu(toHtu(url, base));
    return this;
  }

  /** The HMAC JWK already encrypted to the server (compact JWE), sent as `hmac_key`. */
  includeEncryptedHMAC(hmacKeyJwe: string): this {
    if (typeof hmacKeyJwe !== 'string' || hmacKeyJwe.length > MAX_HMAC_KEY_JWE_LENGTH || !COMPACT_JWE_PATTERN.test(hmacKeyJwe)) {
      throw new PopError('encryption_failed', 'The encrypted HMAC key is not a compact JWE.');
    }
    this.hmacKeyJwe = hmacKeyJwe;
    return this;
  }

  /** The claims as they will be signed (fresh nonce and timestamp on every call). */
  claims(): ClientJwtClaims {
    if (this.accessToken === undefined) {
      throw new PopError('no_access_token', 'A ClientJWT needs an access token: call withAccessToken first.');
    }
    if (this.htm === undefined || this.htu === undefined) {
      throw new PopError('signing_failed', 'A ClientJWT needs the request method and URL: call withRequest first.');
    }
    const content = { accessToken: this.accessToken, htm: this.htm, htu: this.htu, lifetimeSeconds: this.lifetimeSeconds, hmacKeyJwe: this.hmacKeyJwe };
    return clientJwtClaims(content, this.nonces, this.clock);
  }

  /** Signs the claims with `signingKey` (HS256) and returns the compact ClientJWT. */
  build(signingKey: HmacSigningKey): Promise<string> {
    let claims: ClientJwtClaims;
    try {
      claims = this.claims();
    } catch (error) {
      return Promise.reject(error);
    }
    return signClientJwt(claims, signingKey, (jwt) => jwt);
  }
}
