import { pathOf, type Exchange } from '../traffic/request-log';
import { headerOf } from '../traffic/wire-request';

/** What a server reports about a secret field it opened (projects/showcase-server: secret-field-report.ts). */
interface SecretReport {
  jwe?: { alg?: string; enc?: string; kid?: string; iat?: number; jti?: string };
  audience?: string;
  ageSeconds?: number;
  checks?: string[];
}

/**
 * What the showcase's servers report as verified (projects/showcase-server: bank/verification-report.ts,
 * idp/login-routes.ts): the provider's login answer is a secret report itself; the bank's carries
 * the one of its PIN in `decrypted`.
 */
interface Verified extends SecretReport {
  clientJwt?: { kid?: string; registeredKey?: boolean; nonce?: number; htm?: string; htu?: string; exp?: number };
  accessToken?: { sub?: string; aud?: string | string[]; exp?: number; scope?: string; signature?: { alg?: string; kid?: string } };
  decrypted?: SecretReport;
  account?: string;
}

/** The right-hand side of an exchange: who answered, what they checked, what they decrypted. */
export interface ServerReport {
  server: 'bank' | 'provider';
  accepted: boolean;
  /** Label and value pairs, in reading order. */
  facts: [string, string][];
  checks: string[];
  /** Only a PIN is ever shown decrypted (demo); a password never is. */
  decryptedSecret: string | null;
  /** For refusals: the challenge and its description. */
  challenge: string | null;
  errorDescription: string | null;
}

export function serverReport(exchange: Exchange): ServerReport | null {
  const response = exchange.response;
  if (!response) return null;
  const path = pathOf(exchange);
  const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as Record<string, unknown>;
  const verified = (body['verified'] ?? {}) as Verified;
  const facts: [string, string][] = [];
  const add = (label: string, value: unknown) => {
    if (value !== undefined && value !== null) facts.push([label, String(value)]);
  };

  const jwt = verified.clientJwt;
  if (jwt) {
    add('HMAC key (kid)', `${jwt.kid}${jwt.registeredKey ? ' — registered by this request' : ' — registered earlier'}`);
    add('nonce', jwt.nonce);
    add('htm / htu', `${jwt.htm} ${jwt.htu}`);
  }
  const token = verified.accessToken;
  if (token) {
    add('access token sub', token.sub);
    add('access token aud', token.aud);
    add('access token exp', token.exp && new Date(token.exp * 1000).toLocaleTimeString());
    add('access token signed', token.signature && `${token.signature.alg}, provider key ${token.signature.kid}`);
  }
  const secret: SecretReport = verified.decrypted ?? verified;
  const jwe = secret.jwe;
  if (jwe) {
    add('secret JWE', `${jwe.alg} + ${jwe.enc}, key ${jwe.kid}`);
    add('secret iat', jwe.iat !== undefined && secret.ageSeconds !== undefined ? `${jwe.iat} (${secret.ageSeconds} s old when checked)` : jwe.iat);
    add('secret jti', jwe.jti);
  }
  add('secret meant for', secret.audience);
  add('account', verified.account);

  const pin = body['pin'];
  return {
    server: path.startsWith('/idp/') ? 'provider' : 'bank',
    accepted: response.status >= 200 && response.status < 300,
    facts,
    checks: [...(verified.checks ?? []), ...(verified.decrypted?.checks ?? [])],
    decryptedSecret: typeof pin === 'string' ? pin : null,
    challenge: headerOf(response.headers, 'WWW-Authenticate'),
    errorDescription: typeof body['error_description'] === 'string' ? body['error_description'] : null,
  };
}
