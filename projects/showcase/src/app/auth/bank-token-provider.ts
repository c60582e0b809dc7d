import { inject } from '@angular/core';
import { OidcSecurityService } from 'angular-auth-oidc-client';
import type { TokenProvider } from 'pop-lib';
import { firstValueFrom } from 'rxjs';
import { BANK_BASE_URL } from './auth-config';

/**
 * pop-lib's `tokenProvider`: the bank's access token, from angular-auth-oidc-client. pop-lib
 * calls it in the application's injection context, so it injects the auth library's service
 * itself. It answers for the bank only: the provider's key comes from `/idp/pop-keys.json`,
 * never from an access token's key hint (which names the bank's key).
 */
export const bankTokenProvider: TokenProvider = (server) => {
  if (server.baseUrl !== BANK_BASE_URL) return null;
  // Signed out, the auth library answers '' rather than no token.
  return firstValueFrom(inject(OidcSecurityService).getAccessToken()).then((token) => token || null);
};
