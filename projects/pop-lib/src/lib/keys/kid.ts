import { isKeyId, MAX_KID_LENGTH } from '../../protocol';
import { PopError } from '../errors/pop-error';
import { PopErrorCode } from '../errors/pop-error-code';

/** Checks a `kid` (protocol `KEY_ID_PATTERN`) before it touches the key bag or any cache key. */
export function assertKid(kid: unknown, what: string, code: PopErrorCode): asserts kid is string {
  if (!isKeyId(kid)) {
    const shown = typeof kid === 'string' ? JSON.stringify(kid.slice(0, 40)) : typeof kid;
    throw new PopError(code, `${what} ${shown} is not a valid kid (1 to ${MAX_KID_LENGTH} characters [A-Za-z0-9_-.~@:+=]).`);
  }
}
