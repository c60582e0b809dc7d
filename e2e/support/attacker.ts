/**
 * THE ATTACKER, on the test's side: someone who reads a TLS-terminating proxy's log of the
 * showcase's traffic and acts on it from another machine, with jose and fetch only. Nothing
 * here uses the browser, its keys or its cookies (only what the log holds), or a secret of
 * the servers (only what they publish).
 */
import { randomInt } from 'node:crypto';
import { base64url, exportJWK, generateSecret, SignJWT, type CryptoKey, type JWK } from 'jose';
import { CLIENT_JWT_ALG, CLIENT_JWT_TYP, DEFAULT_CLIENT_JWT_LIFETIME_SECONDS } from '../../projects/pop-server/src/protocol.ts';
import { encryptTo } from '../../projects/pop-server/test/client.ts';

/** How a server answered an attempt. */
export interface Answer {
  status: number;
  /** The `WWW-Authenticate` header, if any. */
  challenge: string | null;
  /** The JSON body's `error_description`, if any. */
  description: string | null;
}

/**
 * An HMAC key of the attacker's own, and ClientJWTs signed with it around whatever access token
 * the attacker holds: one copied out of a logged ClientJWT, or one of a bank session of its own.
 */
export class Attacker {
  readonly kid: string;
  private readonly hmacKey: CryptoKey;
  private readonly hmacKeyJwe: string;
  private readonly bankKey: JWK;
  /** The bank's clock (epoch ms), which a real attacker reads from its Date header. */
  private readonly now: () => number;

  private constructor(kid: string, hmacKey: CryptoKey, hmacKeyJwe: string, bankKey: JWK, now: () => number) {
    this.kid = kid;
    this.hmacKey = hmacKey;
    this.hmacKeyJwe = hmacKeyJwe;
    this.bankKey = bankKey;
    this.now = now;
  }

  /** Makes a key and encrypts it to the bank's key, as published at `{origin}/api/pop-keys.json` for anyone. */
  static async against(origin: string, now: () => number = Date.now): Promise<Attacker> {
    const { keys } = (await (await fetch(`${origin}/api/pop-keys.json`)).json()) as { keys: JWK[] };
    const bankKey = keys.find((k) => k.use === 'enc') ?? keys[0];
    if (!bankKey) throw new Error('the bank publishes no key');
    const kid = randomId();
    const hmacKey = await generateSecret(CLIENT_JWT_ALG, { extractable: true });
    const jwk = { ...(await exportJWK(hmacKey)), kty: 'oct', alg: CLIENT_JWT_ALG, kid };
    // As pop-lib makes hmac_key (docs/protocol.md §2): no iat, jti or aud.
    const hmacKeyJwe = await encryptTo(bankKey, JSON.stringify(jwk), {});
    return new Attacker(kid, hmacKey, hmacKeyJwe, bankKey, now);
  }

  /** A secret of the attacker's own (a PIN) for `audience`, made as pop-lib makes one (docs/protocol.md §2). */
  secret(plaintext: string, audience: string): Promise<string> {
    return encryptTo(this.bankKey, plaintext, { iat: Math.floor(this.now() / 1000), jti: randomId(), aud: audience });
  }

  /**
   * Sends `method url` with `Authorization: Bearer <ClientJWT>` around `accessToken`, signed
   * with the attacker's key, carrying that key (`hmac_key`) so the bank registers it; `body`
   * as JSON. No cookies. With `posingAs`, the ClientJWT names a logged `kid` and carries the
   * logged `hmac_key` instead (still signed with the attacker's key: it has no other).
   */
  async send(method: string, url: string, accessToken: string, options: { body?: string; posingAs?: { kid: string; hmacKeyJwe: string } } = {}): Promise<Answer> {
    const { body, posingAs } = options;
    const timestamp = this.now();
    const target = new URL(url);
    const clientJwt = await new SignJWT({
      access_token: accessToken,
      nonce: randomInt(2 ** 47),
      timestamp,
      htm: method,
      htu: `${target.origin}${target.pathname}`,
      hmac_key: posingAs?.hmacKeyJwe ?? this.hmacKeyJwe,
    })
      .setProtectedHeader({ alg: CLIENT_JWT_ALG, typ: CLIENT_JWT_TYP, kid: posingAs?.kid ?? this.kid })
      .setExpirationTime(Math.floor(timestamp / 1000) + DEFAULT_CLIENT_JWT_LIFETIME_SECONDS)
      .sign(this.hmacKey);
    const headers: Record<string, string> = { authorization: `Bearer ${clientJwt}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return answerOf(await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) }));
  }
}

function randomId(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(16)));
}

/** Sends a logged request again as it was: same method, URL, body, and the given headers. */
export async function resend(request: { method: string; url: string; body: string | null }, headers: Record<string, string>): Promise<Answer> {
  return answerOf(await fetch(request.url, { method: request.method, headers, ...(request.body !== null ? { body: request.body } : {}) }));
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let description: string | null = null;
  try {
    const parsed = JSON.parse(text) as { error_description?: unknown };
    if (typeof parsed.error_description === 'string') description = parsed.error_description;
  } catch {
    // not JSON
  }
  return { status: response.status, challenge: response.headers.get('www-authenticate'), description };
}
