import { MAX_CLIENT_JWT_LIFETIME_SECONDS, MAX_SECRET_BYTES, PRIVATE_JWK_MEMBERS } from '../../protocol';
import { PopError } from '../errors/pop-error';
import { MAX_JWKS_CACHE_MS, PopConfig, POP_DEFAULTS, ResolvedPopConfig } from './pop-config';
import { isSecureOrLoopback, tryParseUrl } from './url-policy';

/** Reports one problem: `${path}: ${message}`. */
type Report = (path: string, message: string) => void;
/** Checks one member's value (never undefined: absent members are not checked). */
type Check = (value: unknown, path: string, report: Report) => void;

/** Any absolute URL base for checking the shape of relative ones. */
const PROBE_BASE = 'https://base.invalid/';
const CLAIM_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const HTTPS_ONLY = 'must use https (plain http only for localhost, 127.0.0.0/8 or [::1])';
const AN_ORIGIN = 'must be an origin such as "https://keys.example" (scheme, host, optional port; no path)';

/** `must be …` unless `test` passes. */
const must = (test: (value: unknown) => boolean, what: string): Check => (value, path, report) => {
  if (!test(value)) report(path, `must be ${what}`);
};
const integer = (min: number, max: number): Check =>
  must((value) => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max, `an integer from ${min} to ${max}`);
const boolean = must((value) => typeof value === 'boolean', 'true or false');

/**
 * An object whose known members are checked; unknown ones are problems too (a typo must fail
 * loudly, not be ignored). `extra` runs after the members, on the whole object.
 */
const object = (members: Record<string, Check>, extra?: (value: Record<string, unknown>, path: string, report: Report) => void): Check =>
  (value, path, report) => {
    if (!isRecord(value)) return report(path, 'must be an object');
    const known = Object.keys(members);
    for (const name of Object.keys(value)) {
      if (!known.includes(name)) report(path, `unknown member "${name}" (known: ${known.join(', ')})`);
    }
    for (const name of known) {
      if (value[name] !== undefined) members[name]?.(value[name], `${path}.${name}`.replace(/^\./, ''), report);
    }
    extra?.(value, path, report);
  };

/** A URL with no query, fragment or credentials; if absolute, https (http only for loopback hosts). */
const url: Check = (value, path, report) => {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return report(path, 'must be a non-empty URL string');
  const parsed = tryParseUrl(value, PROBE_BASE);
  const absolute = tryParseUrl(value);
  const problem = !parsed
    ? 'is not a URL'
    : parsed.search || parsed.hash || /[?#]/.test(value)
      ? 'must not have a query or fragment'
      : parsed.username || parsed.password
        ? 'must not contain credentials'
        : absolute && !isSecureOrLoopback(absolute)
          ? HTTPS_ONLY
          : undefined;
  if (problem) report(path, `"${value}" ${problem}`);
};

/** An origin written exactly as the URL parser serialises it: no path, query, user or case games. */
const origin: Check = (value, path, report) => {
  const parsed = typeof value === 'string' ? tryParseUrl(value) : undefined;
  if (!parsed || typeof value !== 'string' || value.replace(/\/$/, '') !== parsed.origin) report(path, AN_ORIGIN);
  else if (!isSecureOrLoopback(parsed)) report(path, `"${value}" ${HTTPS_ONLY}`);
};

/** `{ jwk }` (a public JWK) or `{ load }` (`pemKey`, `keycloakKey`): shape only, the key is imported at first use. */
const key: Check = (value, path, report) => {
  const forms = isRecord(value) ? Object.keys(value) : [];
  if (!isRecord(value) || forms.length !== 1 || !['jwk', 'load'].includes(forms[0] as string)) {
    // Also what a { pem } or { keycloak } key of an earlier version meets: the hint says where they went.
    return report(path, "must be { jwk } or { load }, such as pemKey(pem) or keycloakKey(json) from 'pop-lib/pem'");
  }
  const { jwk, load } = value;
  if (forms[0] === 'load') {
    if (typeof load !== 'function') report(`${path}.load`, "must be a function that returns the key's JWK");
  } else if (!isRecord(jwk) || typeof jwk['kty'] !== 'string') {
    report(`${path}.jwk`, 'must be a JWK object with a "kty"');
  } else if (jwk['kty'] === 'oct' || PRIVATE_JWK_MEMBERS.some((member) => member in jwk)) {
    report(`${path}.jwk`, "is a private or symmetric key; configure the server's PUBLIC key only");
  }
};

const resourceServer = object({
  baseUrl: url,
  key,
  jwksUrl: url,
  allowedJkuOrigins: (value, path, report) =>
    Array.isArray(value) ? value.forEach((item, i) => origin(item, `${path}[${i}]`, report)) : report(path, `must be an array of origins such as "https://keys.example"`),
  clientJwt: boolean,
}, (server, path, report) => {
  if (server['baseUrl'] === undefined) report(`${path}.baseUrl`, 'must be a non-empty URL string');
});

const popConfig = object({
  resourceServers: (value, path, report) => {
    if (!Array.isArray(value) || value.length === 0) return report(path, 'must be a non-empty array of { baseUrl, ... }');
    const seen = new Map<string, number>();
    value.forEach((server: unknown, i) => {
      resourceServer(server, `${path}[${i}]`, report);
      const baseUrl = isRecord(server) ? server['baseUrl'] : undefined;
      if (typeof baseUrl !== 'string') return;
      const normalised = baseUrl.replace(/\/+$/, '');
      const earlier = seen.get(normalised);
      if (earlier === undefined) seen.set(normalised, i);
      else report(`${path}[${i}].baseUrl`, `"${baseUrl}" is already resourceServers[${earlier}]`);
    });
  },
  keyClaim: must((value) => value === false || (typeof value === 'string' && CLAIM_NAME.test(value)), 'a claim name of 1 to 64 characters [A-Za-z0-9_.:-], or false to read no key claim'),
  useCnfClaim: boolean,
  tokenProvider: must((value) => typeof value === 'function', 'a function (resourceServer) => token'),
  jwks: object({ defaultMaxAgeMs: integer(0, MAX_JWKS_CACHE_MS), refetchCooldownMs: integer(0, MAX_JWKS_CACHE_MS), timeoutMs: integer(1, 60_000) }),
  clientJwt: object({ lifetimeSeconds: integer(1, MAX_CLIENT_JWT_LIFETIME_SECONDS) }),
  credentials: object({ maxSecretBytes: integer(1, MAX_SECRET_BYTES) }),
}, (config, _path, report) => {
  if (config['resourceServers'] === undefined) report('resourceServers', 'must be a non-empty array of { baseUrl, ... }');
});

/**
 * Checks an app's configuration and returns it with every default filled in. Collects all
 * problems and throws one `PopError('config_invalid')` listing each with its path, so a
 * misconfigured app fails at start-up, not at the first encrypted field.
 */
export function validatePopConfig(config: PopConfig): ResolvedPopConfig {
  if (!isRecord(config)) {
    throw new PopError('config_invalid', 'The pop-lib configuration must be an object: providePop({ resourceServers: [...] }).');
  }
  const problems: string[] = [];
  popConfig(config, '', (path, message) => problems.push(`${path || 'config'}: ${message}`));
  if (problems.length > 0) {
    throw new PopError('config_invalid', `The pop-lib configuration is invalid:\n- ${problems.join('\n- ')}`);
  }
  return resolvePopConfig(config);
}

/** Fills in the defaults without validating (for configs `validatePopConfig` already saw). */
export function resolvePopConfig(config: PopConfig): ResolvedPopConfig {
  return {
    ...config,
    keyClaim: config.keyClaim ?? POP_DEFAULTS.keyClaim,
    useCnfClaim: config.useCnfClaim ?? POP_DEFAULTS.useCnfClaim,
    jwks: { ...POP_DEFAULTS.jwks, ...config.jwks },
    clientJwt: { ...POP_DEFAULTS.clientJwt, ...config.clientJwt },
    credentials: { ...POP_DEFAULTS.credentials, ...config.credentials },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
