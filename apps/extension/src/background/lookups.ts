import { handleLookupKey, LOOKUP_PREFIX_LENGTH, lookupHash } from '@series/core';
import type { InferResponseType } from 'hono/client';
import { recordStore, TtlCache, type CacheStore } from '../lib/cache';
import { lookupCacheItem } from '../lib/storage';
import { apiClient, failureOf, reach, type ApiClient } from './api';

/** How long a looked-up bucket is reused. A newly published series shows up within this. */
export const LOOKUP_TTL_MS = 5 * 60_000;

type CreatorsBucket = InferResponseType<ApiClient['v1']['lookup']['creators'][':prefix']['$get'], 200>;
type VideosBucket = InferResponseType<ApiClient['v1']['lookup']['videos'][':prefix']['$get'], 200>;
export type LookedUpCreator = CreatorsBucket['creators'][number];
export type LookedUpVideo = VideosBucket['videos'][number];
export type PublicSeries = LookedUpCreator['series'][number];

/**
 * Public lookups with k-anonymity: the server only ever sees the first {@link LOOKUP_PREFIX_LENGTH} hex
 * characters of SHA-256(key) and answers the whole bucket, without the viewer's token; the match is picked
 * here, on the device. Buckets are cached for {@link LOOKUP_TTL_MS} and concurrent requests for one bucket
 * share a single fetch.
 */
export function createLookups(options: {
  store: CacheStore<unknown>;
  fetch?: typeof fetch;
  ttlMs?: number;
  now?: () => number;
}) {
  const cache = new TtlCache<unknown>({
    ttlMs: options.ttlMs ?? LOOKUP_TTL_MS,
    store: options.store,
    ...(options.now ? { now: options.now } : {}),
  });
  const client = (apiUrl: string) => apiClient(apiUrl, null, options.fetch);

  async function bucketOf(key: string) {
    const hash = await lookupHash(key);
    return { hash, prefix: hash.slice(0, LOOKUP_PREFIX_LENGTH) };
  }

  return {
    /** The approved creator with this handle and their published series, or null. */
    async creator(apiUrl: string, handle: string): Promise<LookedUpCreator | null> {
      const { hash, prefix } = await bucketOf(handleLookupKey(handle));
      const bucket = (await cache.get(`${apiUrl}|creators|${prefix}`, async () => {
        const res = await reach(client(apiUrl).v1.lookup.creators[':prefix'].$get({ param: { prefix } }), apiUrl);
        if (res.status !== 200) throw await failureOf(res);
        return res.json();
      })) as CreatorsBucket;
      return bucket.creators.find((c) => c.handleHash === hash) ?? null;
    },

    /** The episode on sale that this video is linked to (with its series), or null. */
    async video(apiUrl: string, videoId: string): Promise<LookedUpVideo | null> {
      const { hash, prefix } = await bucketOf(videoId);
      const bucket = (await cache.get(`${apiUrl}|videos|${prefix}`, async () => {
        const res = await reach(client(apiUrl).v1.lookup.videos[':prefix'].$get({ param: { prefix } }), apiUrl);
        if (res.status !== 200) throw await failureOf(res);
        return res.json();
      })) as VideosBucket;
      return bucket.videos.find((v) => v.videoHash === hash) ?? null;
    },

    /** After the catalogue visibly changed (e.g. a checkout found the series off sale), or the API moved. */
    forget: () => cache.clear(),
  };
}

// Room for the buckets of a few minutes of fast feed scrolling (about one new bucket per video).
const lookups = createLookups({ store: recordStore(lookupCacheItem, 500) });
export const lookupCreator = lookups.creator;
export const lookupVideo = lookups.video;
export const forgetLookups = lookups.forget;
