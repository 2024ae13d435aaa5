import { describe, expect, it, vi } from 'vitest';
import { memoryStore, recordStore, TtlCache, type CacheEntry } from './cache';

function clock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('TtlCache', () => {
  it('serves a fresh entry without loading again, and reloads once it expired', async () => {
    const time = clock();
    const cache = new TtlCache<string>({ ttlMs: 100, store: memoryStore(), now: time.now });
    const load = vi.fn(async () => `v${load.mock.calls.length}`);
    expect(await cache.get('k', load)).toBe('v1');
    time.advance(99);
    expect(await cache.get('k', load)).toBe('v1');
    expect(load).toHaveBeenCalledTimes(1);
    time.advance(1);
    expect(await cache.get('k', load)).toBe('v2');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('merges identical requests in flight into one load', async () => {
    const cache = new TtlCache<number>({ ttlMs: 1_000, store: memoryStore() });
    let release!: (v: number) => void;
    const load = vi.fn(() => new Promise<number>((resolve) => (release = resolve)));
    const all = Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);
    await new Promise((r) => setTimeout(r, 0));
    release(42);
    expect(await all).toEqual([42, 42, 42]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps different keys apart', async () => {
    const cache = new TtlCache<string>({ ttlMs: 1_000, store: memoryStore() });
    expect(await cache.get('a', async () => 'A')).toBe('A');
    expect(await cache.get('b', async () => 'B')).toBe('B');
  });

  it('does not cache failures: every waiter sees the error, the next call tries again', async () => {
    const cache = new TtlCache<string>({ ttlMs: 1_000, store: memoryStore() });
    const failing = vi.fn(async () => {
      throw new Error('down');
    });
    await expect(Promise.all([cache.get('k', failing), cache.get('k', failing)])).rejects.toThrow('down');
    expect(failing).toHaveBeenCalledTimes(1);
    expect(await cache.get('k', async () => 'up')).toBe('up');
  });

  it('forgets everything on clear', async () => {
    const cache = new TtlCache<string>({ ttlMs: 1_000, store: memoryStore() });
    await cache.get('k', async () => 'old');
    await cache.clear();
    expect(await cache.get('k', async () => 'new')).toBe('new');
  });
});

describe('recordStore', () => {
  function item() {
    let value: Record<string, CacheEntry<unknown>> = {};
    return { getValue: async () => value, setValue: async (v: typeof value) => void (value = v), peek: () => value };
  }

  it('survives a new cache instance (the background service worker restarting)', async () => {
    const backing = item();
    const first = new TtlCache<string>({ ttlMs: 1_000, store: recordStore(backing) });
    await first.get('k', async () => 'kept');
    const second = new TtlCache<string>({ ttlMs: 1_000, store: recordStore(backing) });
    const load = vi.fn(async () => 'reloaded');
    expect(await second.get('k', load)).toBe('kept');
    expect(load).not.toHaveBeenCalled();
  });

  it('drops expired entries and keeps at most maxEntries, the freshest', async () => {
    const time = clock();
    const backing = item();
    const store = recordStore<string>(backing, 2, time.now);
    await store.set('old', { value: 'x', expiresAt: time.now() + 10 });
    time.advance(20);
    await store.set('a', { value: 'a', expiresAt: time.now() + 100 });
    await store.set('b', { value: 'b', expiresAt: time.now() + 200 });
    await store.set('c', { value: 'c', expiresAt: time.now() + 300 });
    expect(Object.keys(backing.peek()).sort()).toEqual(['b', 'c']);
  });
});
