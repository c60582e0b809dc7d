/** Helpers for the showcase's specs (no test framework globals, so the app type check accepts them). */
import { HttpInterceptorFn } from '@angular/common/http';
import { signal } from '@angular/core';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** Polls (bounded, 2 s) until `find` returns something; encryption and signing run outside Angular's tracking. */
export async function until<T>(find: () => T | undefined | null | false): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = find();
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not reached in time');
}

/** A bank key pair, and an access token naming its public key in `res_pub_key` (as the showcase's provider does). */
export async function bankAndToken(alg: 'ECDH-ES+A256KW' | 'RSA-OAEP-256' = 'ECDH-ES+A256KW'): Promise<{ privateKey: CryptoKey; publicJwk: JWK; accessToken: string }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'bank-1', use: 'enc', alg };
  const accessToken = await new SignJWT({ sub: 'alice', aud: 'http://bank.test/api', res_pub_key: publicJwk })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setExpirationTime('5m')
    .sign(crypto.getRandomValues(new Uint8Array(32)));
  return { privateKey, publicJwk, accessToken };
}

/** Stands in for angular-auth-oidc-client's authInterceptor: the bearer token on the bank's endpoints. */
export function bearerFor(accessToken: string): HttpInterceptorFn {
  return (request, next) =>
    request.url.startsWith('/api/') && !request.url.endsWith('pop-keys.json') ? next(request.clone({ setHeaders: { Authorization: `Bearer ${accessToken}` } })) : next(request);
}

/** The parts of `Session` the pages read, signed in (or not) as alice. */
export function sessionStub(signedIn: boolean) {
  return {
    signedIn: signal(signedIn),
    subject: signal(signedIn ? 'alice' : null),
    accessTokenClaims: signal(null),
    problem: signal(null),
    signIn: () => undefined,
    signOut: async () => undefined,
  };
}
