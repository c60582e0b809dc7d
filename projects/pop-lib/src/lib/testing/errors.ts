import { isPopError } from '../errors/pop-error';

/**
 * Test helper: the `code` of the PopError that `fn` throws or rejects with, `'accepted'` when
 * it succeeds, or a description of any other error (so an assertion on the code fails loudly).
 */
export async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    return isPopError(e) ? e.code : `not a PopError: ${String(e)}`;
  }
  return 'accepted';
}

/** Test helper: what `fn` throws synchronously, or undefined when it returns. */
export function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
