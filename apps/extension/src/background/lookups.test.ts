import { lookupHash } from '@series/core';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../lib/cache';
import { createLookups } from './lookups';

const API = 'http://127.0.0.1:8787';

function series(id: string) {
  return {
    id,
    slug: id,
    title: id,
    description: '',
    coverUrl: null,
    currency: 'USD',
    bundlePrice: 499,
    episodeCount: 1,
    freeEpisodeCount: 0,
    priceRange: { min: 199, max: 199 },
    creator: { handle: 'x', displayName: 'X', verified: null },
    episodes: [],
  };
}

/** A stand-in API that answers any bucket with the given creators and records what it was asked. */
function fakeApi(creators: { handle: string; displayName: string }[]) {
  const requests: { url: string; headers: Headers }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push({ url: request.url, headers: request.headers });
    await new Promise((r) => setTimeout(r, 5));
    const prefix = request.url.split('/').pop()!;
    const entries = await Promise.all(
      creators.map(async (c) => ({
        ...c,
        handleHash: await lookupHash(c.handle),
        series: [series(`ser_${c.handle}`)],
      })),
    );
    return Response.json({ prefix, creators: entries.filter((c) => c.handleHash.startsWith(prefix)) });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

describe('lookups', () => {
  it('sends only a 4-character hash prefix, anonymously, and picks the match on the device', async () => {
    const api = fakeApi([{ handle: 'seriesdemo', displayName: 'Series Demo' }]);
    const lookups = createLookups({ store: memoryStore(), fetch: api.fetch });
    const found = await lookups.creator(API, '@SeriesDemo');
    expect(found?.displayName).toBe('Series Demo');
    expect(api.requests).toHaveLength(1);
    const url = api.requests[0]!.url;
    expect(url).toBe(`${API}/v1/lookup/creators/${(await lookupHash('seriesdemo')).slice(0, 4)}`);
    expect(url).not.toContain('seriesdemo');
    expect(api.requests[0]!.headers.get('authorization')).toBeNull();
  });

  it('never returns another handle that shares the bucket', async () => {
    // Two handles whose hashes share the first hex character; the bucket answer carries both.
    const api = fakeApi([{ handle: 'seriesdemo', displayName: 'Series Demo' }]);
    const lookups = createLookups({ store: memoryStore(), fetch: api.fetch });
    const wide = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const res = await api.fetch(input, init);
      const body = (await res.json()) as { prefix: string; creators: { handle: string }[] };
      const other = {
        handle: 'lookalike',
        displayName: 'Lookalike',
        handleHash: `${body.prefix}${'0'.repeat(60)}`,
        series: [series('ser_other')],
      };
      return Response.json({ ...body, creators: [...body.creators, other] });
    }) as typeof fetch;
    const merged = createLookups({ store: memoryStore(), fetch: wide });
    expect(await merged.creator(API, 'seriesdemo')).toMatchObject({ handle: 'seriesdemo' });
    expect(await lookups.creator(API, 'nobody_here')).toBeNull();
  });

  it('caches buckets and merges concurrent identical lookups into one request', async () => {
    const api = fakeApi([{ handle: 'seriesdemo', displayName: 'Series Demo' }]);
    const lookups = createLookups({ store: memoryStore(), fetch: api.fetch });
    await Promise.all([
      lookups.creator(API, 'seriesdemo'),
      lookups.creator(API, 'SeriesDemo'),
      lookups.creator(API, '@seriesdemo'),
    ]);
    await lookups.creator(API, 'seriesdemo');
    expect(api.requests).toHaveLength(1);
  });

  it('asks again after the TTL, and for another API address', async () => {
    let t = 0;
    const api = fakeApi([]);
    const lookups = createLookups({ store: memoryStore(), fetch: api.fetch, ttlMs: 1_000, now: () => t });
    await lookups.creator(API, 'seriesdemo');
    t = 999;
    await lookups.creator(API, 'seriesdemo');
    expect(api.requests).toHaveLength(1);
    t = 1_000;
    await lookups.creator(API, 'seriesdemo');
    await lookups.creator('https://api.example.com', 'seriesdemo');
    expect(api.requests).toHaveLength(3);
  });

  it('reports an unreachable server as such, and does not cache the failure', async () => {
    let up = false;
    const api = fakeApi([{ handle: 'seriesdemo', displayName: 'Series Demo' }]);
    const flaky = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (!up) throw new TypeError('Failed to fetch');
      return api.fetch(input, init);
    }) as typeof fetch;
    const lookups = createLookups({ store: memoryStore(), fetch: flaky });
    await expect(lookups.creator(API, 'seriesdemo')).rejects.toMatchObject({ error: { code: 'api_unreachable' } });
    up = true;
    expect(await lookups.creator(API, 'seriesdemo')).toMatchObject({ handle: 'seriesdemo' });
  });
});
