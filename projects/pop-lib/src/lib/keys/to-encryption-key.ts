import { loadKeySetup } from '../key-setup/load-key-setup';
import type { EncryptionKey } from './encryption-key';

/**
 * Checks that `jwk` is a public key the library may encrypt to and imports it (protocol
 * section 1). Rejects, each with its own code: private or symmetric keys, RSA under 2048 bits
 * or over 4096, RSA public exponents other than 65537, unsupported curves and key types, keys
 * marked for signing only, and algorithms outside the protocol's allow-list. The checking and
 * importing code is loaded on first use (`load_failed` if it cannot be).
 */
export function toEncryptionKey(jwk: unknown): Promise<EncryptionKey> {
  return loadKeySetup().then((setup) => setup.toEncryptionKey(jwk));
}
