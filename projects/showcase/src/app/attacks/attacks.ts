import { decodeJwt } from 'jose';
import { BANK_BASE_URL } from '../auth/auth-config';
import type { Exchange } from '../traffic/request-log';
import type { WireRequest } from '../traffic/wire-request';
import type { WireResponse } from '../traffic/wire-response';
import { forgeClientJwtRequest } from './forge-client-jwt';
import { sendRaw } from './send-raw';

export type AttackKind = 'replay' | 'stolen-bare' | 'stolen-fresh-key';

/** One attempt with captured material, and how the bank answered. */
export interface AttackOutcome {
  kind: AttackKind;
  request: WireRequest;
  response: WireResponse;
  /** The bank refused (401): the guarantee held. */
  refused: boolean;
}

/** Replays the captured request byte for byte: same method, URL, headers and body. */
export async function replay(exchange: Exchange): Promise<AttackOutcome> {
  return attempt('replay', exchange.request);
}

/**
 * Takes the access token out of the captured ClientJWT (its payload is readable by anyone)
 * and tries it at the bank twice: bare, as a plain bearer token; and wrapped in a new
 * ClientJWT under the attacker's own HMAC key (forge-client-jwt.ts).
 */
export async function useStolenToken(exchange: Exchange): Promise<AttackOutcome[]> {
  const jwt = exchange.clientJwt?.jwt;
  if (!jwt) throw new Error('this request carried no ClientJWT');
  const accessToken = decodeJwt(jwt)['access_token'];
  if (typeof accessToken !== 'string') throw new Error('the ClientJWT carries no access_token');
  const url = new URL(`${BANK_BASE_URL}/accounts`, document.baseURI).href;
  const bare: WireRequest = { method: 'GET', url, headers: [['Accept', 'application/json'], ['Authorization', `Bearer ${accessToken}`]], body: null };
  const forged = await forgeClientJwtRequest(accessToken, { method: 'GET', url, bankJwksUrl: new URL(`${BANK_BASE_URL}/pop-keys.json`, document.baseURI).href });
  return [await attempt('stolen-bare', bare), await attempt('stolen-fresh-key', forged)];
}

async function attempt(kind: AttackKind, request: WireRequest): Promise<AttackOutcome> {
  const response = await sendRaw(request);
  return { kind, request, response, refused: response.status === 401 };
}
