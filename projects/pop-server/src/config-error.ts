/**
 * A configuration mistake found when a verifier or an adapter is created: every problem is
 * listed at once, so a deployment fails at start-up with the whole list instead of
 * surfacing as rejected requests later.
 */
export class PopServerConfigError extends Error {
  readonly code = 'config_invalid';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`pop-lib-server: invalid configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'PopServerConfigError';
    this.problems = Object.freeze([...problems]);
  }
}
