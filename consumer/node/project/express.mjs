// The Express adapter in a real server on 127.0.0.1: a ClientJWT request passes, its replay
// is answered 401 replayed_nonce. Prints one JSON line.
import { randomBytes, randomInt } from 'node:crypto';
import express from 'express';
import { CompactEncrypt, CompactSign, base64url, importJWK } from 'jose';
import { createVerifier, generateServerKeys } from 'pop-lib-server';
import { popExpress, popKeysHandler, popResult } from 'pop-lib-server/express';

const encode = (value) => new TextEncoder().encode(JSON.stringify(value));
const keys = await generateServerKeys();
const verifier = createVerifier({ keys, validateAccessToken: (token) => ({ token }) });
const app = express();
app.get('/api/pop-keys.json', popKeysHandler(keys));
app.get('/api/accounts', popExpress(verifier), (_req, res) => res.json({ token: popResult(res).accessTokenClaims.token }));
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

try {
  const { keys: [serverJwk] } = await (await fetch(`${base}/api/pop-keys.json`)).json();
  const hmac = { kty: 'oct', alg: 'HS256', kid: base64url.encode(randomBytes(16)), k: base64url.encode(randomBytes(32)) };
  const hmacKey = await new CompactEncrypt(encode(hmac))
    .setProtectedHeader({ alg: serverJwk.alg, enc: 'A256GCM', kid: serverJwk.kid })
    .encrypt(await importJWK(serverJwk, serverJwk.alg));
  const timestamp = Date.now();
  const claims = { access_token: 'opaque-token', nonce: randomInt(2 ** 47), timestamp, exp: Math.floor(timestamp / 1000) + 30, htm: 'GET', htu: `${base}/api/accounts`, hmac_key: hmacKey };
  const jwt = await new CompactSign(encode(claims)).setProtectedHeader({ alg: 'HS256', typ: 'client+jwt', kid: hmac.kid }).sign(base64url.decode(hmac.k));
  const send = () => fetch(`${base}/api/accounts`, { headers: { authorization: `Bearer ${jwt}` }, signal: AbortSignal.timeout(5000) });
  const first = await send();
  const replay = await send();
  console.log(JSON.stringify({ status: first.status, body: await first.json(), replayStatus: replay.status, replayChallenge: replay.headers.get('www-authenticate') }));
} finally {
  server.close();
}
