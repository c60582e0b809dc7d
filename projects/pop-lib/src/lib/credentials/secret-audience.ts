import { toHtu } from '../../protocol';
import { PopError } from '../errors/pop-error';

/**
 * The `aud` of a secret's JWE: the URL it is for, normalised like `htu` (origin and path,
 * no query, fragment or user info), relative URLs resolved against `base` (the page). A URL
 * that is not absolute http(s) after that, or is over 1024 characters, is `audience_invalid`:
 * a JWE without an endpoint to bind it to is never made.
 */
export function secretAudience(url: unknown, base: string | undefined): string {
  if (typeof url !== 'string' || url.length === 0) {
    throw new PopError('audience_invalid', `The URL a secret is for must be a non-empty string, not ${url === null ? 'null' : typeof url}.`);
  }
  const aud = toHtu(url, base);
  if (aud === undefined) {
    const hint = base === undefined ? ' (a relative URL needs the page base URL, which is not known here)' : '';
    throw new PopError('audience_invalid', `The URL a secret is for, "${url.slice(0, 100)}", is not an absolute http(s) URL of at most 1024 characters${hint}.`);
  }
  return aud;
}
