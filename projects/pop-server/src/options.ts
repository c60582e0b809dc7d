/**
 * Validation of server options at creation time: each option has a rule that returns what is
 * wrong with a value (or nothing), and `assertOptions` throws one `PopServerConfigError`
 * listing every problem, unknown members included.
 */
import { PopServerConfigError } from './errors.ts';

/** Returns a problem ("must be …") for a present value, or undefined when it is fine. */
export type Rule = (value: unknown) => string | undefined;

export interface OptionSpec {
  rule: Rule;
  required?: boolean;
}

/** Checks `options` against `spec`; throws `PopServerConfigError` naming `what` and every problem. */
export function assertOptions(what: string, options: unknown, spec: Record<string, OptionSpec>): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PopServerConfigError(what, ['the options must be an object']);
  }
  const problems: string[] = [];
  const given = options as Record<string, unknown>;
  for (const [name, { rule, required }] of Object.entries(spec)) {
    const value = given[name];
    if (value === undefined) {
      if (required) problems.push(`${name}: is required`);
      continue;
    }
    const problem = rule(value);
    if (problem !== undefined) problems.push(`${name}: ${problem} (got ${describe(value)})`);
  }
  for (const name of Object.keys(given)) {
    if (!(name in spec)) problems.push(`${name}: unknown option (known: ${Object.keys(spec).join(', ')})`);
  }
  if (problems.length > 0) throw new PopServerConfigError(what, problems);
}

export function integerIn(min: number, max: number): Rule {
  return (value) => (Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max ? undefined : `must be an integer from ${min} to ${max}`);
}

export const isFunction: Rule = (value) => (typeof value === 'function' ? undefined : 'must be a function');

export const isBoolean: Rule = (value) => (typeof value === 'boolean' ? undefined : 'must be true or false');

/** A `PopStore`: `setIfAbsent(key, value, expiresAtMs)` and `get(key)`. */
export const isStore: Rule = (value) =>
  typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)['setIfAbsent'] === 'function' && typeof (value as Record<string, unknown>)['get'] === 'function'
    ? undefined
    : 'must be a PopStore (setIfAbsent and get), e.g. new MemoryStore() or a RedisStore';

/** `ServerKeys` from `generateServerKeys`, `loadServerKeys` or `createServerKeys`. */
export const isServerKeys: Rule = (value) =>
  typeof value === 'object' && value !== null && Array.isArray((value as Record<string, unknown>)['keys']) && typeof (value as Record<string, unknown>)['find'] === 'function'
    ? undefined
    : 'must be the ServerKeys of generateServerKeys, loadServerKeys or createServerKeys';

function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}
