import { LOCALES } from '@series/core';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context.js';
import { toBase64Url } from './encoding.js';
import { PUBLIC_CACHE } from './cache.js';

/**
 * Public catalogue answers (profiles, series, video and hash-prefix lookups) are the same for everyone, so
 * they are served from the Cache API with an ETag (304 when the client has it), and purged by
 * `purgeCatalog` whenever a write changes what they show. The key is the path alone under a fixed host, so
 * the API's hostname or stray query strings never split or bypass the cache.
 */
const cacheKey = (path: string, variant?: string) =>
  `https://public-catalog.series.internal${path}${variant ? `?variant=${encodeURIComponent(variant)}` : ''}`;

async function etagOf(body: ArrayBuffer): Promise<string> {
  return `"${toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', body)).subarray(0, 16))}"`;
}

function notModified(request: Request, etag: string | null): boolean {
  const given = request.headers.get('If-None-Match');
  return !!etag && !!given && given.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

interface Cached {
  body: ArrayBuffer;
  headers: [string, string][];
  etag: string | null;
  expires: number;
}

/**
 * The hottest answers (the extension's lookups) are also kept in this isolate's memory for a few seconds, so
 * most requests skip the Cache API round trip. A purge clears this isolate's copies at once; another isolate
 * may serve its copy until it expires, well inside the minute the edge and browsers may already keep a
 * public answer (PUBLIC_CACHE).
 */
const MEMORY_TTL_MS = 5_000;
const MEMORY_MAX_ENTRIES = 500;
const memory = new Map<string, Cached>();

function remember(key: string, body: ArrayBuffer, headers: Headers, now = Date.now()) {
  if (memory.size >= MEMORY_MAX_ENTRIES) {
    for (const [k, v] of memory) if (v.expires <= now) memory.delete(k);
    // Still full: drop the oldest entry (a Map iterates in insertion order).
    if (memory.size >= MEMORY_MAX_ENTRIES) memory.delete(memory.keys().next().value!);
  }
  memory.set(key, { body, headers: [...headers], etag: headers.get('ETag'), expires: now + MEMORY_TTL_MS });
}

function recalled(key: string): Cached | null {
  const entry = memory.get(key);
  if (!entry) return null;
  if (entry.expires > Date.now()) return entry;
  memory.delete(key);
  return null;
}

/** The headers a 304 repeats from the full answer (RFC 9110 §15.4.5). */
const notModifiedResponse = (etag: string, headers: Headers | [string, string][]) => {
  const from = new Headers(headers);
  const out = new Headers({ ETag: etag, 'Cache-Control': from.get('Cache-Control') ?? PUBLIC_CACHE });
  const vary = from.get('Vary');
  if (vary) out.set('Vary', vary);
  return new Response(null, { status: 304, headers: out });
};

/**
 * Serves a public answer from the isolate's memory or the Cache API, or lets the handler make it and keeps
 * it. Only a 200 whose Cache-Control the handler made `public` is kept (a page rendered for one signed-in
 * viewer is `private`), and never with a Set-Cookie. `variant` names what else, besides the path, the answer
 * depends on (the storefront's language).
 */
export function cachePublic(variant?: (c: Context<AppEnv>) => string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = cacheKey(new URL(c.req.url).pathname, variant?.(c));
    const kept = recalled(key);
    if (kept) {
      if (notModified(c.req.raw, kept.etag)) return notModifiedResponse(kept.etag!, kept.headers);
      return new Response(kept.body, { status: 200, headers: kept.headers });
    }
    const cache = (caches as unknown as { default: Cache }).default;
    const hit = await cache.match(key);
    if (hit) {
      const etag = hit.headers.get('ETag');
      const body = await hit.arrayBuffer();
      remember(key, body, hit.headers);
      if (notModified(c.req.raw, etag)) return notModifiedResponse(etag!, hit.headers);
      return new Response(body, { status: 200, headers: hit.headers });
    }
    await next();
    if (c.res.status !== 200 || !/^public\b/.test(c.res.headers.get('Cache-Control') ?? '')) return;
    const body = await c.res.clone().arrayBuffer();
    const etag = await etagOf(body);
    const headers = new Headers(c.res.headers);
    headers.delete('Set-Cookie');
    headers.set('ETag', etag);
    c.res = notModified(c.req.raw, etag)
      ? notModifiedResponse(etag, headers)
      : new Response(body, { status: 200, headers });
    remember(key, body, headers);
    const stored = cache.put(key, new Response(body, { status: 200, headers }));
    try {
      c.executionCtx.waitUntil(stored);
    } catch {
      await stored;
    }
  });
}

/** The API's public catalogue answers: one cached answer per path. */
export const publicCache = cachePublic();

/** Every public URL that shows something of this creator, as it stands in the database now. */
export async function catalogPaths(db: D1Database, creatorId: string): Promise<string[]> {
  const [creator, series, slugs, videos] = await db.batch<Record<string, string | number | null>>([
    db.prepare('SELECT handle, handle_hash FROM creators WHERE id = ?').bind(creatorId),
    db
      .prepare(
        'SELECT id, slug, (SELECT COUNT(*) FROM episodes WHERE series_id = series.id) AS episodes FROM series WHERE creator_id = ?',
      )
      .bind(creatorId),
    db.prepare('SELECT slug FROM series_slugs WHERE creator_id = ?').bind(creatorId),
    db
      .prepare(
        `SELECT e.video_id, e.video_hash FROM episodes e JOIN series s ON s.id = e.series_id
         WHERE s.creator_id = ? AND e.video_id IS NOT NULL`,
      )
      .bind(creatorId),
  ]);
  const paths: string[] = [];
  const prefixes = (hash: unknown) => (typeof hash === 'string' ? [hash.slice(0, 4), hash.slice(0, 5)] : []);
  const handle = creator?.results[0]?.handle;
  for (const row of creator?.results ?? []) {
    paths.push(`/v1/creators/${row.handle}`, `/@${row.handle}`);
    for (const p of prefixes(row.handle_hash)) paths.push(`/v1/lookup/creators/${p}`);
  }
  for (const row of series?.results ?? []) {
    paths.push(`/v1/series/${row.id}`, `/v1/series/${row.id}/reviews`);
    // The storefront's series page and its episode pages, at the series' current address.
    if (handle) for (let n = 1; n <= Number(row.episodes); n++) paths.push(`/@${handle}/${row.slug}/${n}`);
  }
  // Every address a series ever had: a page cached under an old one must not outlive a rename.
  if (handle) for (const row of slugs?.results ?? []) paths.push(`/@${handle}/${row.slug}`);
  for (const row of videos?.results ?? []) {
    paths.push(`/v1/videos/${row.video_id}`);
    for (const p of prefixes(row.video_hash)) paths.push(`/v1/lookup/videos/${p}`);
  }
  return paths;
}

/** Storefront pages are cached once per language (see storefront/routes.tsx). */
const isPage = (path: string) => path.startsWith('/@');

/**
 * Drops the cached public answers about a creator. Pass `before` (from `catalogPaths` taken before the
 * write) when the write removes or renames something, so its old URLs go too.
 */
export async function purgeCatalog(db: D1Database, creatorId: string, before: string[] = []): Promise<void> {
  await purgePublic([...before, ...(await catalogPaths(db, creatorId))]);
}

/** The platform commission in force, public (commission/routes.ts): purged when an admin changes it. */
export const COMMISSION_PATH = '/v1/commission';

/** Drops the cached public answers at these paths (every language of a storefront page), here and in the Cache API. */
export async function purgePublic(paths: Iterable<string>): Promise<void> {
  const cache = (caches as unknown as { default: Cache }).default;
  const keys = [...new Set(paths)].flatMap((p) =>
    isPage(p) ? LOCALES.map((locale) => cacheKey(p, locale)) : [cacheKey(p)],
  );
  for (const key of keys) memory.delete(key);
  await Promise.all(keys.map((key) => cache.delete(key)));
}
