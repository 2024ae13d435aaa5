import { anchorsDocumentSchema, type AnchorSet } from '@series/core';
import { anchorsItem, type StoredAnchors } from '../lib/storage';
import { apiClient } from './api';
import { currentApiUrl } from './config';

/** How long a served set is used before asking again (by ETag: usually a 304). Site releases are rarer. */
export const ANCHORS_TTL_MS = 6 * 60 * 60_000;
/** After a failed request (offline, server error), the last good set is kept and asked for again after this. */
export const ANCHORS_RETRY_MS = 5 * 60_000;

/** What content scripts get: the served set in force, or null for their built-in one. */
export interface AnchorsAnswer {
  version: number | null;
  anchors: AnchorSet | null;
}

interface Options {
  item: { getValue(): Promise<StoredAnchors | null>; setValue(value: StoredAnchors | null): Promise<void> };
  apiUrl: () => Promise<string>;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * The page anchors the server serves (`GET /v1/extension/anchors`), validated here with the same schema the
 * server publishes with, kept in extension storage for {@link ANCHORS_TTL_MS} and then revalidated. A
 * missing (404) or invalid document means the built-in set; a failed request keeps the last good set. A
 * stale set is answered at once while a fresh one is fetched; concurrent refreshes share one request.
 */
export function createAnchors(options: Options) {
  const now = options.now ?? Date.now;
  let inflight: Promise<StoredAnchors> | null = null;

  async function refresh(apiUrl: string, previous: StoredAnchors | null): Promise<StoredAnchors> {
    const base = { apiUrl, checkedAt: now() };
    const keep = previous?.apiUrl === apiUrl ? previous : null;
    let stored: StoredAnchors;
    try {
      const res = await apiClient(apiUrl, null, options.fetch).v1.extension.anchors.$get(
        {},
        { headers: keep?.etag ? { 'If-None-Match': keep.etag } : {} },
      );
      if ((res.status as number) === 304 && keep) stored = { ...keep, ...base, failed: false };
      else if (res.status === 200) {
        const parsed = anchorsDocumentSchema.safeParse(await res.json());
        // A set this build cannot read (a newer format, a broken publish): the built-in one, until the next check.
        stored = parsed.success
          ? {
              ...base,
              failed: false,
              version: parsed.data.version,
              etag: res.headers.get('ETag'),
              anchors: parsed.data.anchors,
            }
          : { ...base, failed: false, version: null, etag: null, anchors: null };
      } else if ((res.status as number) === 404)
        stored = { ...base, failed: false, version: null, etag: null, anchors: null };
      else throw new Error(`anchors: ${res.status}`);
    } catch {
      stored = {
        ...base,
        failed: true,
        version: keep?.version ?? null,
        etag: keep?.etag ?? null,
        anchors: keep?.anchors ?? null,
      };
    }
    await options.item.setValue(stored);
    return stored;
  }

  const answer = (s: StoredAnchors | null): AnchorsAnswer => ({
    version: s?.version ?? null,
    anchors: s?.anchors ?? null,
  });

  return {
    async current(): Promise<AnchorsAnswer> {
      const apiUrl = await options.apiUrl();
      const stored = await options.item.getValue();
      const mine = stored?.apiUrl === apiUrl ? stored : null;
      const fresh = mine && now() - mine.checkedAt < (mine.failed ? ANCHORS_RETRY_MS : ANCHORS_TTL_MS);
      if (fresh) return answer(mine);
      inflight ??= refresh(apiUrl, stored).finally(() => (inflight = null));
      // Known but stale: answer with it now; the next page gets the fresh one.
      if (mine) {
        void inflight.catch(() => undefined);
        return answer(mine);
      }
      return answer(await inflight);
    },
    /** Another server: its own anchors. */
    forget: () => options.item.setValue(null),
  };
}

const anchors = createAnchors({ item: anchorsItem, apiUrl: currentApiUrl });
export const currentAnchors = anchors.current;
export const forgetAnchors = anchors.forget;
