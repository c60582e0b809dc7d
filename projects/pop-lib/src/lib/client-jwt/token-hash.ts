import * as base64url from 'jose/base64url';

const encoder = new TextEncoder();

/**
 * SHA-256 of the access token, base64url: how the key store names a token without storing it
 * (the server binds tokens to keys by the same hash).
 */
export async function accessTokenHash(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(accessToken));
  return base64url.encode(new Uint8Array(digest));
}
