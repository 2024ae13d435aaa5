/** A cached value and when it stops being fresh (ms since the epoch). */
export interface CacheEntry<V> {
  value: V;
  expiresAt: number;
}

/** Where entries live: memory in tests, extension storage in the background (it outlives the service worker). */
export interface CacheStore<V> {
  get(key: string): Promise<CacheEntry<V> | undefined>;
  set(key: string, entry: CacheEntry<V>): Promise<void>;
  clear(): Promise<void>;
}

export function memoryStore<V>(): CacheStore<V> {
  const map = new Map<string, CacheEntry<V>>();
  return {
    get: async (key) => map.get(key),
    set: async (key, entry) => void map.set(key, entry),
    clear: async () => map.clear(),
  };
}

/**
 * A TTL cache that merges identical requests in flight: however many callers ask for a key at once, `load`
 * runs once and they all get its result. Failures are not cached (the next call tries again).
 * @example const bucket = await lookups.get('creators:911f', () => fetchBucket('911f'));
 */
export class TtlCache<V> {
  private readonly inflight = new Map<string, Promise<V>>();
  private readonly now: () => number;

  constructor(private readonly options: { ttlMs: number; store: CacheStore<V>; now?: () => number }) {
    this.now = options.now ?? Date.now;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const run = (async () => {
      try {
        const hit = await this.options.store.get(key);
        if (hit && hit.expiresAt > this.now()) return hit.value;
        const value = await load();
        await this.options.store.set(key, { value, expiresAt: this.now() + this.options.ttlMs });
        return value;
      } finally {
        this.inflight.delete(key);
      }
    })();
    this.inflight.set(key, run);
    return run;
  }

  /** Forgets everything, e.g. when the API address changes. Requests in flight still finish. */
  clear(): Promise<void> {
    return this.options.store.clear();
  }
}

/** The part of a WXT storage item a store needs. */
export interface RecordItem {
  getValue(): Promise<Record<string, CacheEntry<unknown>>>;
  setValue(value: Record<string, CacheEntry<unknown>>): Promise<void>;
}

/**
 * A store kept in one extension-storage record, so cached lookups survive the background service worker
 * being stopped. Expired entries are dropped on write, and at most `maxEntries` (the newest) are kept.
 */
export function recordStore<V>(item: RecordItem, maxEntries = 200, now: () => number = Date.now): CacheStore<V> {
  // Writes are read-modify-write of one record: run one at a time, or two buckets loaded together would
  // each write the record without the other and one would be fetched again.
  let writes: Promise<void> = Promise.resolve();
  const serially = (write: () => Promise<void>) => (writes = writes.then(write, write));
  return {
    get: async (key) => {
      await writes;
      return (await item.getValue())[key] as CacheEntry<V> | undefined;
    },
    set: (key, entry) =>
      serially(async () => {
        const live = Object.entries({ ...(await item.getValue()), [key]: entry })
          .filter(([, e]) => e.expiresAt > now())
          .sort(([, a], [, b]) => b.expiresAt - a.expiresAt)
          .slice(0, maxEntries);
        await item.setValue(Object.fromEntries(live));
      }),
    clear: () => serially(() => item.setValue({})),
  };
}
