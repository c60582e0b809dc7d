/**
 * ATTACKER CODE, showcase only. What someone who copied an access token out of a logged
 * ClientJWT would try: make an HMAC key of their own, encrypt it to the bank's public key
 * (published at /api/pop-keys.json for anyone), and sign a brand-new ClientJWT around the
 * stolen token. Every step is ordinary jose; nothing here needs a secret of the victim's.
 *
 * The bank refuses it only because it binds each access token to the first HMAC key registered
 * with it (docs/protocol.md §4): the victim's.
 */
import { base64url, CompactEncrypt, exportJWK, generateSecret, importJWK, SignJWT, type JWK } from 'jose';
import type { WireRequest } from '../traffic/wire-request';

export async function forgeClientJwtRequest(stolenAccessToken: string, target: { method: string; url: string; bankJwksUrl: string }): Promise<WireRequest> {
  const bankKey = await fetchBankKey(target.bankJwksUrl);
  const kid = randomId();
  const hmacKey = await generateSecret('HS256', { extractable: true });
  const hmacJwk = { ...(await exportJWK(hmacKey)), kty: 'oct', alg: 'HS256', kid };

  const alg = bankKey.alg ?? 'ECDH-ES+A256KW';
  const htu = new URL(target.url);
  // The hmac_key JWE exactly as pop-lib makes it (docs/protocol.md §2: no iat, jti or aud), so
  // only the token's binding can refuse it.
  const hmacKeyJwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(hmacJwk)))
    .setProtectedHeader({ alg, enc: 'A256GCM', ...(bankKey.kid ? { kid: bankKey.kid } : {}) })
    .encrypt(await importJWK(bankKey, alg));

  const timestamp = Date.now();
  const clientJwt = await new SignJWT({
    access_token: stolenAccessToken,
    nonce: randomNonce(),
    timestamp,
    htm: target.method,
    htu: `${htu.origin}${htu.pathname}`,
    hmac_key: hmacKeyJwe,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'client+jwt', kid })
    .setExpirationTime(Math.floor(timestamp / 1000) + 30)
    .sign(hmacKey);

  return { method: target.method, url: target.url, headers: [['Accept', 'application/json'], ['Authorization', `Bearer ${clientJwt}`]], body: null };
}

async function fetchBankKey(url: string): Promise<JWK> {
  const { keys } = (await (await fetch(url, { credentials: 'omit' })).json()) as { keys: JWK[] };
  const key = keys.find((k) => k.use === 'enc') ?? keys[0];
  if (!key) throw new Error(`no key at ${url}`);
  return key;
}

function randomId(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(16)));
}

/** A uniformly random safe integer, as the protocol's nonce. */
function randomNonce(): number {
  const [high = 0, low = 0] = crypto.getRandomValues(new Uint32Array(2));
  return (high & 0x1fffff) * 2 ** 32 + low;
}
