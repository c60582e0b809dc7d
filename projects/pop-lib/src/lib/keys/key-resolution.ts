import { inject } from '@angular/core';
import type { JWK } from 'jose';
import { POP_BASE_URI } from '../config/page-base';
import { POP_CONFIG, ResolvedPopConfig, ResourceServerConfig } from '../config/pop-config';
import { ResourceServers } from '../config/resource-servers';
import { POP_TOKEN_PROVIDER } from '../config/token-provider';
import { tryParseUrl } from '../config/url-policy';
import { resolvePopConfig } from '../config/validate-pop-config';
import { isPopError, PopError } from '../errors/pop-error';
import type { OAuthToken } from '../tokens/access-token';
import { EncryptionKey, toEncryptionKey } from './encryption-key';
import { assertJkuAllowed } from './jku-policy';
import { JwksCacheService } from './jwks-cache.service';
import { jwksUrlOf } from './jwks-url';
import type { KeyRequest, ResolvedKey } from './key-resolver.service';
import { KeyHints, KeyHintSources, readKeyHints } from './key-hints';

/** Imported token-borne keys kept, so a warm resolve does no WebCrypto import. */
const MAX_MEMOISED_KEYS = 32;
/** Key hints of the last few token strings (the same token is sent with every request). */
const MAX_MEMOISED_TOKENS = 8;

/**
 * What `KeyResolverService` does, loaded on its first use (part of the key set-up code):
 * the order of key sources, the pinning by a configured key, and the memos that keep a warm
 * resolve to a few map reads. Created in the service's injection context.
 */
export class KeyResolution {
  private readonly config: ResolvedPopConfig = resolvePopConfig(inject(POP_CONFIG, { optional: true }) ?? { resourceServers: [] });
  private readonly hintSources: KeyHintSources = { cnf: this.config.useCnfClaim, claim: this.config.keyClaim };
  private readonly readsTokens = this.hintSources.cnf || this.hintSources.claim !== false;
  private readonly baseUri = inject(POP_BASE_URI);
  private readonly servers = inject(ResourceServers);
  private readonly provideToken = inject(POP_TOKEN_PROVIDER);
  private readonly jwks = inject(JwksCacheService);
  /** Imported keys by JWK JSON (token-borne keys) or `config:{baseUrl}` (configured keys). */
  private readonly imported = new Map<string, Promise<EncryptionKey>>();
  private allowedOrigins?: ReadonlySet<string>;
  private readonly jwksUrls = new Map<ResourceServerConfig, string>();
  private readonly hintsByToken = new Map<string, KeyHints>();

  async resolve(request: KeyRequest): Promise<ResolvedKey> {
    if (request.use !== undefined && request.use !== 'enc') {
      throw new PopError('key_use_mismatch', `Only encryption keys ("use":"enc") can be resolved, not "${String(request.use)}".`);
    }
    const server = this.servers.find(request.url);
    if (!server) {
      throw new PopError('no_resource_server', `No configured resource server's baseUrl covers ${request.url}.`);
    }
    const baseUrl = server.baseUrl;
    // A configured key pins the server: whoever hands the app a token must not choose who
    // can read what is encrypted for it (docs/security.md, "Key sources").
    if (server.key) return { ...(await this.configuredKey(server)), source: 'config', baseUrl };

    // With both claim sources off no token is asked for or read. (No extra `await` when the
    // caller gave the token: a warm resolve stays one microtask.)
    const token = !this.readsTokens ? null : request.oAuthToken !== undefined ? request.oAuthToken : await this.provideToken(server);
    const hints: KeyHints = token ? this.hintsOf(token) : {};
    if (hints.cnf) {
      if ('jwk' in hints.cnf) return { ...(await this.importOnce(hints.cnf.jwk)), source: 'cnf.jwk', baseUrl };
      const jku = assertJkuAllowed(hints.cnf.jku, this.jkuOrigins(server));
      const cachedJku = this.jwks.cachedKey(jku.href, hints.cnf.kid);
      return { ...(cachedJku ?? (await this.jwks.getKey(jku.href, hints.cnf.kid))), source: 'cnf.jku', baseUrl };
    }
    if (hints.claim) return { ...(await this.importOnce(hints.claim)), source: 'claim', baseUrl };
    const jwksUrl = this.jwksUrl(server);
    const cached = this.jwks.cachedKey(jwksUrl);
    return { ...(cached ?? (await this.jwks.getKey(jwksUrl))), source: 'jwks', baseUrl };
  }

  /** `jwksUrlOf`, remembered per server and page base URL. */
  jwksUrl(server: ResourceServerConfig): string {
    const base = this.baseUri();
    // Memo entries are "{page base} {JWKS URL}": a serialised URL has no space.
    const memoPrefix = `${base ?? ''} `;
    const memo = this.jwksUrls.get(server);
    if (memo !== undefined && memo.startsWith(memoPrefix)) return memo.slice(memoPrefix.length);
    const url = jwksUrlOf(server, base);
    this.jwksUrls.set(server, `${memoPrefix}${url}`);
    return url;
  }

  /** `readKeyHints`, remembered for recent token strings (a string's claims never change). */
  private hintsOf(token: OAuthToken): KeyHints {
    if (typeof token !== 'string') return readKeyHints(token, this.hintSources);
    let hints = this.hintsByToken.get(token);
    if (!hints) {
      hints = readKeyHints(token, this.hintSources);
      if (this.hintsByToken.size >= MAX_MEMOISED_TOKENS) this.hintsByToken.clear();
      this.hintsByToken.set(token, hints);
    }
    return hints;
  }

  private configuredKey(server: ResourceServerConfig): Promise<EncryptionKey> {
    const memoKey = `config:${server.baseUrl}`;
    let key = this.imported.get(memoKey);
    if (!key) {
      const configured = server.key;
      key = (async () => {
        if (!configured) throw new PopError('key_not_found', `${server.baseUrl} has no configured key.`);
        return toEncryptionKey('jwk' in configured ? configured.jwk : await loadConfiguredJwk(configured.load, server.baseUrl));
      })();
      this.remember(memoKey, key);
    }
    return key;
  }

  /** Imports a token-borne JWK once; the same key in the next token costs a Map read. */
  private importOnce(jwk: JWK): Promise<EncryptionKey> {
    const memoKey = JSON.stringify(jwk);
    let key = this.imported.get(memoKey);
    if (!key) {
      key = toEncryptionKey(jwk);
      this.remember(memoKey, key);
    }
    return key;
  }

  private remember(memoKey: string, key: Promise<EncryptionKey>): void {
    // Failures are not kept: the next call reports the error afresh.
    key.catch(() => this.imported.delete(memoKey));
    if (this.imported.size >= MAX_MEMOISED_KEYS) {
      const oldest = this.imported.keys().next().value;
      if (oldest !== undefined) this.imported.delete(oldest);
    }
    this.imported.set(memoKey, key);
  }

  /** The server's `allowedJkuOrigins`, else the origins of every configured server. */
  private jkuOrigins(server: ResourceServerConfig): ReadonlySet<string> {
    if (server.allowedJkuOrigins) return new Set(server.allowedJkuOrigins.map((origin) => origin.replace(/\/$/, '')));
    if (!this.allowedOrigins) {
      const base = this.baseUri();
      const origins = this.config.resourceServers
        .flatMap((s) => [s.baseUrl, s.jwksUrl])
        .map((url) => (url === undefined ? undefined : tryParseUrl(url, base)?.origin))
        .filter((origin): origin is string => origin !== undefined && origin !== 'null');
      this.allowedOrigins = new Set(origins);
    }
    return this.allowedOrigins;
  }
}

/** A configured key given as `{ load }` (`pemKey`, `keycloakKey` from `pop-lib/pem`): its JWK, or a typed error. */
async function loadConfiguredJwk(load: () => Promise<JWK>, baseUrl: string): Promise<JWK> {
  try {
    return await load();
  } catch (cause) {
    if (isPopError(cause)) throw cause;
    throw new PopError('key_invalid', `The configured key of ${baseUrl} could not be loaded.`, { cause });
  }
}
