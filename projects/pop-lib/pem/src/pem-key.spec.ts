import { exportSPKI, generateKeyPair } from 'jose';
import { isPopError, PopError, validatePopConfig } from 'pop-lib';
import { keycloakKey, pemKey } from './pem-key';

function configErrorOf(make: () => unknown): PopError | undefined {
  try {
    make();
  } catch (e) {
    if (isPopError(e, 'config_invalid')) return e;
    throw e;
  }
  return undefined;
}

describe('pemKey and keycloakKey', () => {
  let pem: string;
  let realmKey: string;

  beforeAll(async () => {
    const { publicKey } = await generateKeyPair('RSA-OAEP-256', { extractable: true });
    pem = await exportSPKI(publicKey);
    realmKey = pem.replace(/-----[A-Z ]+-----|\s/g, '');
  });

  it('make keys providePop accepts, converted at first use to the same JWK', async () => {
    const config = validatePopConfig({
      resourceServers: [
        { baseUrl: 'https://shop.example', key: pemKey(pem) },
        { baseUrl: 'https://sso.example/realms/demo', key: keycloakKey({ realm: 'demo', 'realm-public-key': realmKey }) },
        { baseUrl: 'https://sso2.example', key: keycloakKey(JSON.stringify({ 'realm-public-key': realmKey })) },
      ],
    });
    const jwks = await Promise.all(config.resourceServers.map((server) => (server.key && 'load' in server.key ? server.key.load() : undefined)));
    expect(jwks.map((jwk) => jwk?.kty)).toEqual(['RSA', 'RSA', 'RSA']);
    expect(new Set(jwks.map((jwk) => jwk?.n)).size).toBe(1);
  });

  it('refuse what cannot be an SPKI PEM or a keycloak.json at once, with config_invalid', () => {
    const cases: [() => unknown, string][] = [
      [() => pemKey('-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----'), 'SPKI'],
      [() => pemKey(42 as unknown as string), 'SPKI'],
      [() => keycloakKey('{oops'), 'not the JSON text'],
      [() => keycloakKey({ realm: 'demo' } as never), 'realm-public-key'],
      [() => keycloakKey({ 'realm-public-key': '' }), 'realm-public-key'],
    ];
    for (const [make, message] of cases) {
      expect(configErrorOf(make)?.message).withContext(make.toString()).toContain(message);
    }
  });

  it('leave the key checks to first use: a private key in SPKI armour is refused when loaded', async () => {
    const { privateKey } = await generateKeyPair('RSA-OAEP-256', { extractable: true });
    const { exportPKCS8 } = await import('jose');
    const disguised = (await exportPKCS8(privateKey)).replace(/PRIVATE KEY/g, 'PUBLIC KEY');
    const key = pemKey(disguised);
    const error = await ('load' in key ? key.load() : Promise.resolve()).catch((e: unknown) => e);
    expect(isPopError(error)).toBeTrue();
  });
});
