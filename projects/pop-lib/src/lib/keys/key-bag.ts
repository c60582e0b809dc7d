/** One key in the bag, as the JWKS listed it. */
export interface BagEntry<T> {
  kid?: string;
  use?: string;
  value: T;
}

/**
 * The client's cache of resource server keys (protocol section 1), addressed `{baseUrl}/{kid}/{use}`.
 * Each `baseUrl` holds the keys of one JWKS document in document order; lookup follows the
 * protocol exactly:
 * - with a kid: `{kid}/{use}`, then `{kid}` (the key has no `use`), then `{kid}/*` (any use);
 * - without:    `*\/{use}`,   then `*` (a key with no `use`),     then `*\/*` (any key).
 * Within each step the first key in document order wins (servers list their newest first).
 */
export class KeyBag<T> {
  private readonly sets = new Map<string, readonly BagEntry<T>[]>();
  /**
   * Hits by `{baseUrl}/{kid}/{use}`, so a warm lookup is one Map read. Misses are not kept:
   * kids come from tokens, and the memo must not grow with every kid anyone sends.
   */
  private readonly memo = new Map<string, T>();

  /** Replaces every key held for `baseUrl` (a fresh JWKS replaces the old one whole). */
  replace(baseUrl: string, entries: readonly BagEntry<T>[]): void {
    this.sets.set(baseUrl, [...entries]);
    this.clearMemo(baseUrl);
  }

  delete(baseUrl: string): void {
    this.sets.delete(baseUrl);
    this.clearMemo(baseUrl);
  }

  has(baseUrl: string): boolean {
    return this.sets.has(baseUrl);
  }

  /** The key for `kid` (optional) and `use`, in the protocol's lookup order, or undefined. */
  lookup(baseUrl: string, kid: string | undefined, use: string): T | undefined {
    const address = `${baseUrl}/${kid ?? '*'}/${use}`;
    const memoised = this.memo.get(address);
    if (memoised !== undefined) return memoised;
    const entries = this.sets.get(baseUrl);
    if (!entries) return undefined;
    const found = kid === undefined ? findWithoutKid(entries, use) : findWithKid(entries, kid, use);
    if (found) this.memo.set(address, found.value);
    return found?.value;
  }

  private clearMemo(baseUrl: string): void {
    const prefix = `${baseUrl}/`;
    for (const address of this.memo.keys()) {
      if (address.startsWith(prefix)) this.memo.delete(address);
    }
  }
}

function findWithKid<T>(entries: readonly BagEntry<T>[], kid: string, use: string): BagEntry<T> | undefined {
  const sameKid = entries.filter((entry) => entry.kid === kid);
  return (
    sameKid.find((entry) => entry.use === use) ??
    sameKid.find((entry) => entry.use === undefined) ??
    sameKid[0]
  );
}

function findWithoutKid<T>(entries: readonly BagEntry<T>[], use: string): BagEntry<T> | undefined {
  return entries.find((entry) => entry.use === use) ?? entries.find((entry) => entry.use === undefined) ?? entries[0];
}
