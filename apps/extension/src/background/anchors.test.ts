import type { AnchorSet } from '@series/core';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_ANCHORS } from '../lib/anchors';
import type { StoredAnchors } from '../lib/storage';
import { ANCHORS_RETRY_MS, ANCHORS_TTL_MS, createAnchors } from './anchors';

const API = 'http://127.0.0.1:8787';
const served: AnchorSet = { ...BUILT_IN_ANCHORS, pages: { feed: ['/discover'], search: ['/find/*'] } };
const document = (version: number, anchors: unknown = served) => ({
  version,
  publishedAt: '2026-12-01T10:00:00.000Z',
  anchors,
});

/** A stand-in API answering GET /v1/extension/anchors from `answer`, recording each request. */
function setup(answer: (req: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  let stored: StoredAnchors | null = null;
  let time = 1_000_000;
  let apiUrl = API;
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    requests.push(req);
    await new Promise((r) => setTimeout(r, 5));
    return answer(req);
  }) as typeof globalThis.fetch;
  const anchors = createAnchors({
    item: { getValue: async () => stored, setValue: async (v) => void (stored = v) },
    apiUrl: async () => apiUrl,
    fetch,
    now: () => time,
  });
  return {
    anchors,
    requests,
    advance: (ms: number) => void (time += ms),
    setApi: (url: string) => void (apiUrl = url),
  };
}

const json = (body: unknown, headers: Record<string, string> = {}) => Response.json(body, { headers });

describe('served anchors', () => {
  it('fetches the served set once, anonymously, and keeps it for the TTL', async () => {
    const t = setup(() => json(document(3), { ETag: '"anchors-v3"' }));
    expect(await t.anchors.current()).toEqual({ version: 3, anchors: served });
    expect(t.requests).toHaveLength(1);
    expect(t.requests[0]!.url).toBe(`${API}/v1/extension/anchors`);
    expect(t.requests[0]!.headers.get('authorization')).toBeNull();
    t.advance(ANCHORS_TTL_MS - 1);
    expect(await t.anchors.current()).toEqual({ version: 3, anchors: served });
    expect(t.requests).toHaveLength(1);
  });

  it('merges concurrent first requests into one', async () => {
    const t = setup(() => json(document(1)));
    const answers = await Promise.all(Array.from({ length: 5 }, () => t.anchors.current()));
    expect(answers.every((a) => a.version === 1)).toBe(true);
    expect(t.requests).toHaveLength(1);
  });

  it('revalidates by ETag after the TTL, answering with the stale set meanwhile', async () => {
    let version = 3;
    const t = setup((req) =>
      req.headers.get('If-None-Match') === `"anchors-v${version}"`
        ? new Response(null, { status: 304 })
        : json(document(version), { ETag: `"anchors-v${version}"` }),
    );
    await t.anchors.current();
    t.advance(ANCHORS_TTL_MS);
    expect(await t.anchors.current()).toEqual({ version: 3, anchors: served });
    await new Promise((r) => setTimeout(r, 20));
    expect(t.requests).toHaveLength(2);
    expect(t.requests[1]!.headers.get('If-None-Match')).toBe('"anchors-v3"');
    // A 304 restarts the TTL.
    t.advance(ANCHORS_TTL_MS - 1);
    await t.anchors.current();
    expect(t.requests).toHaveLength(2);
    // A new version is picked up at the next check.
    version = 4;
    t.advance(1);
    await t.anchors.current();
    await new Promise((r) => setTimeout(r, 20));
    expect(await t.anchors.current()).toEqual({ version: 4, anchors: served });
  });

  it('uses the built-in set when none is published, or the served one is invalid or of another format', async () => {
    const answers = [
      () =>
        new Response(JSON.stringify({ error: { code: 'not_found', message: 'none' } }), {
          status: 404,
          headers: { 'content-type': 'application/json' },
        }),
      () => json(document(2, { ...served, format: 2 })),
      () => json(document(2, { ...served, profile: { identity: [], anchors: ['a { }'] } })),
      () => json({ version: 'two' }),
    ];
    for (const answer of answers) {
      const t = setup(answer);
      expect(await t.anchors.current()).toEqual({ version: null, anchors: null });
      // …and that is kept for the TTL too, not asked again on every page.
      await t.anchors.current();
      expect(t.requests).toHaveLength(1);
    }
  });

  it('keeps the last good set when the server cannot be reached, and asks again sooner', async () => {
    let down = false;
    const t = setup(() =>
      down ? Promise.reject(new TypeError('offline')) : json(document(5), { ETag: '"anchors-v5"' }),
    );
    await t.anchors.current();
    down = true;
    t.advance(ANCHORS_TTL_MS);
    await t.anchors.current();
    await new Promise((r) => setTimeout(r, 20));
    expect(await t.anchors.current()).toEqual({ version: 5, anchors: served });
    expect(t.requests).toHaveLength(2);
    t.advance(ANCHORS_RETRY_MS);
    down = false;
    await t.anchors.current();
    expect(t.requests).toHaveLength(3);
    // Offline from the start: the built-in set.
    const offline = setup(() => Promise.reject(new TypeError('offline')));
    expect(await offline.anchors.current()).toEqual({ version: null, anchors: null });
  });

  it('never uses one server’s anchors for another', async () => {
    const t = setup((req) => json(document(req.url.includes('8787') ? 1 : 9)));
    expect((await t.anchors.current()).version).toBe(1);
    t.setApi('https://api.example.com');
    expect((await t.anchors.current()).version).toBe(9);
  });
});
