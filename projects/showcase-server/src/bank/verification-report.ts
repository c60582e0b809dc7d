/**
 * What the bank checked before it answered, in pop-lib-server's order (docs/protocol.md §4), as
 * data the showcase can put beside what went over the wire. Everything here was verified;
 * a request that fails any check never reaches this code (it gets a 401).
 */
import { decodeProtectedHeader, type JWTPayload } from 'jose';
import type { VerifiedRequest } from '../../../pop-server/src/index.ts';
import { CLIENT_JWT_ALG, CLIENT_JWT_TYP, DEFAULT_CLOCK_SKEW_SECONDS, MAX_CLIENT_JWT_LIFETIME_SECONDS } from '../../../pop-server/src/protocol.ts';

export interface VerificationReport {
  clientJwt: {
    kid: string;
    /** This request carried `hmac_key` and registered (or re-confirmed) its HMAC key. */
    registeredKey: boolean;
    nonce: number;
    timestamp: number;
    exp: number;
    htm: string;
    htu: string;
  };
  accessToken: {
    iss: string | undefined;
    sub: string | undefined;
    aud: string | string[] | undefined;
    exp: number | undefined;
    scope: unknown;
    client_id: unknown;
    signature: { alg: string | undefined; kid: string | undefined };
  };
  checks: string[];
}

export function verificationReport(result: VerifiedRequest<JWTPayload>): VerificationReport {
  const { clientJwt, kid, registered, accessTokenClaims: claims } = result;
  const tokenHeader = decodeProtectedHeader(result.accessToken);
  return {
    clientJwt: { kid, registeredKey: registered, nonce: clientJwt.nonce, timestamp: clientJwt.timestamp, exp: clientJwt.exp, htm: clientJwt.htm, htu: clientJwt.htu },
    accessToken: {
      iss: claims.iss,
      sub: claims.sub,
      aud: claims.aud,
      exp: claims.exp,
      scope: claims['scope'],
      client_id: claims['client_id'],
      signature: { alg: tokenHeader.alg, kid: tokenHeader.kid },
    },
    checks: [
      `ClientJWT is a compact JWS with alg ${CLIENT_JWT_ALG} and typ ${CLIENT_JWT_TYP}`,
      registered
        ? `hmac_key decrypted with the bank's private key; HMAC key ${kid} registered for this access token`
        : `HMAC key ${kid} found among the keys registered earlier`,
      `${CLIENT_JWT_ALG} signature verified with that HMAC key`,
      'access_token is the one the HMAC key was registered with',
      `exp not passed, timestamp not in the future, lifetime at most ${MAX_CLIENT_JWT_LIFETIME_SECONDS} s`,
      `htm ${clientJwt.htm} and htu ${clientJwt.htu} match this request`,
      `nonce ${clientJwt.nonce} not seen before (remembered until exp + ${DEFAULT_CLOCK_SKEW_SECONDS} s)`,
      `access token signed by the provider (${String(tokenHeader.alg)}, kid ${String(tokenHeader.kid)}), issuer ${String(claims.iss)}, audience ${String(claims.aud)}, not expired`,
    ],
  };
}
