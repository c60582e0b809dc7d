import { MAX_CLIENT_JWT_LIFETIME_SECONDS, MAX_SECRET_BYTES, PRIVATE_JWK_MEMBERS } from '../../protocol';
import { PopError } from '../errors/pop-error';
import { ConfiguredKey, PopConfig, POP_DEFAULTS, ResolvedPopConfig, ResourceServerConfig } from './pop-config';
import { isSecureOrLoopback, tryParseUrl } from './url-policy';

const TOP_LEVEL = ['resourceServers', 'keyClaim', 'useCnfClaim', 'tokenProvider', 'jwks', 'clientJwt', 'credentials'];
const SERVER_MEMBERS = ['baseUrl', 'key', 'jwksUrl', 'allowedJkuOrigins', 'clientJwt'];
/** Any absolute URL base for checking the shape of relative ones. */
const PROBE_BASE = 'https://base.invalid/';
const CLAIM_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * Checks an app's configuration and returns it with every default filled in. Collects all
 * problems and throws one `PopError('config_invalid')` listing each with its path, so a
 * misconfigured app fails at start-up, not at the first encrypted field.
 */
export function validatePopConfig(config: PopConfig): ResolvedPopConfig {
  const problems: string[] = [];
  if (!isRecord(config)) {
    throw new PopError('config_invalid', 'The pop-lib configuration must be an object: providePop({ resourceServers: [...] }).');
  }
  unknownMembers(config, TOP_LEVEL, 'config', problems);
  if (!Array.isArray(config.resourceServers) || config.resourceServers.length === 0) {
    problems.push('resourceServers: must be a non-empty array of { baseUrl, ... }');
  } else {
    const seen = new Map<string, number>();
    config.resourceServers.forEach((server, i) => checkServer(server, `resourceServers[${i}]`, problems, seen, i));
  }
  if (config.keyClaim !== undefined && config.keyClaim !== false && (typeof config.keyClaim !== 'string' || !CLAIM_NAME.test(config.keyClaim))) {
    problems.push('keyClaim: must be a claim name of 1 to 64 characters [A-Za-z0-9_.:-], or false to read no key claim');
  }
  if (config.useCnfClaim !== undefined && typeof config.useCnfClaim !== 'boolean') {
    problems.push('useCnfClaim: must be true or false');
  }
  if (config.tokenProvider !== undefined && typeof config.tokenProvider !== 'function') {
    problems.push('tokenProvider: must be a function (resourceServer) => token');
  }
  checkNumbers(config.jwks, 'jwks', {
    defaultMaxAgeMs: [0, 86_400_000],
    refetchCooldownMs: [0, 86_400_000],
    timeoutMs: [1, 60_000],
  }, problems);
  checkNumbers(config.clientJwt, 'clientJwt', { lifetimeSeconds: [1, MAX_CLIENT_JWT_LIFETIME_SECONDS] }, problems);
  checkNumbers(config.credentials, 'credentials', { maxSecretBytes: [1, MAX_SECRET_BYTES] }, problems);
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

function checkServer(server: ResourceServerConfig, path: string, problems: string[], seen: Map<string, number>, index: number): void {
  if (!isRecord(server)) {
    problems.push(`${path}: must be an object with a baseUrl`);
    return;
  }
  unknownMembers(server, SERVER_MEMBERS, path, problems);
  const baseUrl = checkUrl(server.baseUrl, `${path}.baseUrl`, problems);
  if (baseUrl !== undefined) {
    const normalised = server.baseUrl.replace(/\/+$/, '');
    const earlier = seen.get(normalised);
    if (earlier !== undefined) problems.push(`${path}.baseUrl: "${server.baseUrl}" is already resourceServers[${earlier}]`);
    else seen.set(normalised, index);
  }
  if (server.jwksUrl !== undefined) checkUrl(server.jwksUrl, `${path}.jwksUrl`, problems);
  if (server.clientJwt !== undefined && typeof server.clientJwt !== 'boolean') {
    problems.push(`${path}.clientJwt: must be true or false`);
  }
  if (server.allowedJkuOrigins !== undefined) {
    if (!Array.isArray(server.allowedJkuOrigins)) {
      problems.push(`${path}.allowedJkuOrigins: must be an array of origins such as "https://keys.example"`);
    } else {
      server.allowedJkuOrigins.forEach((origin, i) => checkOrigin(origin, `${path}.allowedJkuOrigins[${i}]`, problems));
    }
  }
  if (server.key !== undefined) checkKey(server.key, `${path}.key`, problems);
}

/** A URL with no query or fragment; if absolute, https (http only for loopback hosts). */
function checkUrl(value: unknown, path: string, problems: string[]): URL | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) {
    problems.push(`${path}: must be a non-empty URL string`);
    return undefined;
  }
  const url = tryParseUrl(value, PROBE_BASE);
  if (!url) {
    problems.push(`${path}: "${value}" is not a URL`);
    return undefined;
  }
  if (url.search || url.hash || /[?#]/.test(value)) {
    problems.push(`${path}: "${value}" must not have a query or fragment`);
    return undefined;
  }
  if (url.username || url.password) {
    problems.push(`${path}: "${value}" must not contain credentials`);
    return undefined;
  }
  const absolute = tryParseUrl(value);
  if (absolute && !isSecureOrLoopback(absolute)) {
    problems.push(`${path}: "${value}" must use https (plain http only for localhost, 127.0.0.0/8 or [::1])`);
    return undefined;
  }
  return url;
}

function checkOrigin(value: unknown, path: string, problems: string[]): void {
  const url = typeof value === 'string' ? tryParseUrl(value) : undefined;
  // An origin written exactly as the URL parser serialises it: no path, query, user or case games.
  if (!url || typeof value !== 'string' || value.replace(/\/$/, '') !== url.origin) {
    problems.push(`${path}: must be an origin such as "https://keys.example" (scheme, host, optional port; no path)`);
    return;
  }
  if (!isSecureOrLoopback(url)) {
    problems.push(`${path}: "${value}" must use https (plain http only for localhost, 127.0.0.0/8 or [::1])`);
  }
}

/** Shape checks only: importing a key is asynchronous and happens at first use. */
function checkKey(key: ConfiguredKey, path: string, problems: string[]): void {
  if (!isRecord(key)) {
    problems.push(`${path}: must be { jwk }, { pem } or { keycloak }`);
    return;
  }
  const forms = ['jwk', 'pem', 'keycloak'].filter((form) => form in key);
  if (forms.length !== 1 || Object.keys(key).length !== 1) {
    problems.push(`${path}: must have exactly one of jwk, pem, keycloak`);
    return;
  }
  if ('jwk' in key) {
    if (!isRecord(key.jwk) || typeof key.jwk.kty !== 'string') {
      problems.push(`${path}.jwk: must be a JWK object with a "kty"`);
    } else if (key.jwk.kty === 'oct' || PRIVATE_JWK_MEMBERS.some((member) => member in key.jwk)) {
      problems.push(`${path}.jwk: is a private or symmetric key; configure the server's PUBLIC key only`);
    }
  } else if ('pem' in key) {
    if (typeof key.pem !== 'string' || !key.pem.includes('-----BEGIN PUBLIC KEY-----')) {
      problems.push(`${path}.pem: must be a PEM "-----BEGIN PUBLIC KEY-----" (SPKI) block`);
    }
  } else {
    checkKeycloak(key.keycloak, `${path}.keycloak`, problems);
  }
}

function checkKeycloak(value: unknown, path: string, problems: string[]): void {
  let adapter: unknown = value;
  if (typeof value === 'string') {
    try {
      adapter = JSON.parse(value);
    } catch {
      problems.push(`${path}: is a string but not the JSON text of a keycloak.json file`);
      return;
    }
  }
  if (!isRecord(adapter) || typeof adapter['realm-public-key'] !== 'string' || adapter['realm-public-key'].length === 0) {
    problems.push(`${path}: must be keycloak.json content with a "realm-public-key"`);
  }
}

function checkNumbers(section: unknown, path: string, ranges: Record<string, [number, number]>, problems: string[]): void {
  if (section === undefined) return;
  if (!isRecord(section)) {
    problems.push(`${path}: must be an object`);
    return;
  }
  unknownMembers(section, Object.keys(ranges), path, problems);
  for (const [name, [min, max]] of Object.entries(ranges)) {
    const value = section[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${path}.${name}: must be an integer from ${min} to ${max}`);
    }
  }
}

function unknownMembers(value: object, known: string[], path: string, problems: string[]): void {
  for (const member of Object.keys(value)) {
    if (!known.includes(member)) problems.push(`${path}: unknown member "${member}" (known: ${known.join(', ')})`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
