import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore } from './memory-store.ts';
import { StoreUnavailableError } from './store.ts';

describe('MemoryStore', () => {
  it('stores once per key until expiry, then accepts the key again', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now });
    assert.equal(await store.setIfAbsent('a', 'v1', now + 5_000), true);
    assert.equal(await store.setIfAbsent('a', 'v2', now + 5_000), false);
    assert.equal(await store.get('a'), 'v1');
    now += 5_000;
    assert.equal(await store.get('a'), undefined);
    assert.equal(await store.setIfAbsent('a', 'v3', now + 5_000), true);
    assert.equal(await store.get('a'), 'v3');
  });

  it('evicts expired entries so memory stays bounded by the live window', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now });
    for (let i = 0; i < 1000; i++) await store.setIfAbsent(`n${i}`, '1', now + 2_000);
    assert.equal(store.size, 1000);
    now += 3_000;
    await store.setIfAbsent('later', '1', now + 2_000);
    assert.equal(store.size, 1);
  });

  it('refuses new entries when full, and accepts again once entries expire', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ maxEntries: 2, now: () => now });
    await store.setIfAbsent('a', '1', now + 1_000);
    await store.setIfAbsent('b', '1', now + 1_000);
    await assert.rejects(store.setIfAbsent('c', '1', now + 1_000), StoreUnavailableError);
    assert.equal(await store.setIfAbsent('a', '1', now + 1_000), false, 'a present key still answers false when full');
    now += 2_000;
    assert.equal(await store.setIfAbsent('c', '1', now + 1_000), true);
  });

  it('does not keep an entry that is already expired', async () => {
    const now = 1_000_000;
    const store = new MemoryStore({ now: () => now });
    assert.equal(await store.setIfAbsent('x', '1', now - 1), true);
    assert.equal(store.size, 0);
  });
});
