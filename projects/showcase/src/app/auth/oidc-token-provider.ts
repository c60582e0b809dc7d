import { firstValueFrom } from 'rxjs';
import type { OidcSecurityService } from 'angular-auth-oidc-client';
import type { ResourceServerConfig, TokenProvider } from 'pop-lib';
import { BANK_BASE_URL } from './auth-config';

/**
 * pop-lib's `tokenProvider`, backed by angular-auth-oidc-client. pop-lib calls it outside
 * Angular's injection context, so the `OidcSecurityService` is handed over by an initializer
 * (`connect`). It answers for the bank only: the provider's key comes from
 * `/idp/pop-keys.json`, never from an access token's key hint (which names the bank's key).
 */
export class OidcTokenProvider {
  private oidc: OidcSecurityService | null = null;

  connect(oidc: OidcSecurityService): void {
    this.oidc = oidc;
  }

  readonly tokenProvider: TokenProvider = async (server: ResourceServerConfig) => {
    if (server.baseUrl !== BANK_BASE_URL || !this.oidc) return null;
    const token = await firstValueFrom(this.oidc.getAccessToken());
    return token || null;
  };
}
