// A plain Node ESM program that uses the installed pop-lib-server by name, as an application
// would: it publishes its key, receives a ClientJWT built as pop-lib builds one (protocol §3:
// a fresh HMAC key encrypted to the key from pop-keys.json, HS256, a new nonce), verifies it,
// and refuses its replay. Prints one JSON line with what it saw.
import { randomBytes, randomInt } from 'node:crypto';
import { CompactEncrypt, CompactSign, SignJWT, base64url, exportJWK, generateKeyPair, importJWK } from 'jose';
import { createVerifier, generateServerKeys, isVerificationError, jwksAccessTokenValidator, popKeysResponse } from 'pop-lib-server';
import { popKeysHandler, withPop } from 'pop-lib-server/fetch';

const URL_ACCOUNTS = 'https://bank.example/api/accounts';
const encode = (value) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

// The identity provider: an ES256 access token and the JWKS to check it.
const idp = await generateKeyPair('ES256');
const idpJwks = { keys: [{ ...(await exportJWK(idp.publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' }] };
const accessToken = await new SignJWT({ scope: 'accounts' })
  .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
  .setIssuer('https://idp.example')
  .setAudience('bank')
  .setSubject('alice')
  .setIssuedAt()
  .setExpirationTime('5m')
  .sign(idp.privateKey);

// The resource server.
const keys = await generateServerKeys();
const verifier = createVerifier({
  keys,
  validateAccessToken: jwksAccessTokenValidator(idpJwks, { issuer: 'https://idp.example', audience: 'bank' }),
});

// The client: the server's key from pop-keys.json, a new HMAC key encrypted to it.
const { keys: [serverJwk] } = JSON.parse(popKeysResponse(keys).body);
const hmac = { kty: 'oct', alg: 'HS256', kid: base64url.encode(randomBytes(16)), k: base64url.encode(randomBytes(32)) };
const hmacKey = await new CompactEncrypt(encode(hmac))
  .setProtectedHeader({ alg: serverJwk.alg, enc: 'A256GCM', kid: serverJwk.kid })
  .encrypt(await importJWK(serverJwk, serverJwk.alg));

async function clientJwt(method, url, withKey) {
  const timestamp = Date.now();
  const claims = { access_token: accessToken, nonce: randomInt(2 ** 47), timestamp, exp: Math.floor(timestamp / 1000) + 30, htm: method, htu: url };
  return new CompactSign(encode(withKey ? { ...claims, hmac_key: hmacKey } : claims))
    .setProtectedHeader({ alg: 'HS256', typ: 'client+jwt', kid: hmac.kid })
    .sign(base64url.decode(hmac.k));
}

const outcome = (promise) => promise.then(() => 'accepted', (e) => (isVerificationError(e) ? e.error : `unexpected: ${e}`));

// The core: first request registers the key, its replay is refused.
const request = { method: 'GET', url: URL_ACCOUNTS, authorization: `Bearer ${await clientJwt('GET', URL_ACCOUNTS, true)}` };
const verified = await verifier.verify(request);
const replay = await outcome(verifier.verify(request));

// The Fetch API adapter, which needs no framework.
const handler = withPop(verifier, (_request, pop) => Response.json({ sub: pop.accessTokenClaims.sub }));
const fetchRequest = async () => new Request(URL_ACCOUNTS, { headers: { authorization: `Bearer ${await clientJwt('GET', URL_ACCOUNTS, false)}` } });
const captured = await fetchRequest();
const fetchFirst = await handler(captured.clone());
const fetchReplay = await handler(captured);

// Entry points: /redis loads without the redis package installed; internals are not exported.
const redisEntry = await import('pop-lib-server/redis').then((m) => typeof m.RedisStore, (e) => `failed: ${e.code ?? e}`);
const internal = await import('pop-lib-server/lib/pop-server/src/verifier.js').then(() => 'importable', (e) => e.code);

console.log(
  JSON.stringify({
    node: process.version,
    verified: { registered: verified.registered, sub: verified.accessTokenClaims.sub, htu: verified.clientJwt.htu },
    replay,
    fetch: { status: fetchFirst.status, body: await fetchFirst.json(), replayStatus: fetchReplay.status, replayChallenge: fetchReplay.headers.get('www-authenticate') },
    popKeys: { status: popKeysHandler(keys)().status, hasPrivate: 'd' in serverJwk },
    redisEntry,
    internal,
  }),
);
