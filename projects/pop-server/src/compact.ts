/**
 * Shape checks that run before any decoding (protocol §5): compact serialisation only, no
 * padding and no whitespace. Every segment is then decoded by jose, which refuses any other
 * character outside base64url; padding and whitespace are refused here because that decoding
 * (atob) would tolerate them. Everything here is cheap string work: a scan per character
 * refused, not a regular expression over the whole token.
 */
import { COMPACT_JWE_PATTERN } from './protocol.ts';

/** Characters jose's base64url decoding tolerates, but a compact serialisation never has. */
const TOLERATED_BY_DECODER = ['=', ' ', '\t', '\n', '\r', '\f'];

/** Three non-empty segments separated by exactly two dots, without padding or whitespace. */
export function isCompactJws(value: string): boolean {
  const first = value.indexOf('.');
  const second = value.indexOf('.', first + 1);
  return first > 0 && second > first + 1 && second < value.length - 1 && value.indexOf('.', second + 1) < 0 && hasNoToleratedCharacters(value);
}

/** Five base64url segments (the second may be empty). Secrets are not per-request: a regex is fine. */
export function isCompactJwe(value: string): boolean {
  return COMPACT_JWE_PATTERN.test(value);
}

function hasNoToleratedCharacters(value: string): boolean {
  return TOLERATED_BY_DECODER.every((character) => !value.includes(character));
}
