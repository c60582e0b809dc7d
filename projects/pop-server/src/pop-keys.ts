/** The `{base_url}/pop-keys.json` response, framework-agnostic. */
import type { ServerKeys } from './server-keys.ts';

export interface PopKeysResponse {
  status: 200;
  headers: Record<string, string>;
  body: string;
}

export function popKeysResponse(keys: ServerKeys, options: { maxAgeSeconds?: number } = {}): PopKeysResponse {
  return {
    status: 200,
    headers: {
      'Content-Type': 'application/json',
      // Clients cache for max-age; keep it shorter than the overlap of a key rotation.
      'Cache-Control': `public, max-age=${options.maxAgeSeconds ?? 300}`,
    },
    body: JSON.stringify(keys.jwks()),
  };
}
