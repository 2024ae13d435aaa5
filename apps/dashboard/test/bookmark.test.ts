import { afterEach, describe, expect, it, vi } from 'vitest';
import { BOOKMARK_HEADER, bookmarkedFetch } from '../src/lib/api.js';

const mark = (n: number) => `00000000-${n.toString(16).padStart(8, '0')}-00000000-${'0'.repeat(32)}`;

describe('D1 bookmarks', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends back the newest bookmark the API gave, so a read after a write sees it on any replica', async () => {
    const sent: (string | null)[] = [];
    const answers = [mark(5), mark(9), mark(7), null];
    vi.stubGlobal('fetch', async (_input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(new Headers(init?.headers).get(BOOKMARK_HEADER));
      const next = answers.shift();
      return new Response('{}', { headers: next ? { [BOOKMARK_HEADER]: next } : {} });
    });
    for (let i = 0; i < 5; i++) await bookmarkedFetch('/v1/me', { headers: { Accept: 'application/json' } });
    // Nothing before the first answer; an older bookmark (7 after 9) or none never replaces the newest.
    expect(sent).toEqual([null, mark(5), mark(9), mark(9), mark(9)]);
  });
});
