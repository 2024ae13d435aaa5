import type { AnchorSet, Locale } from '@series/core';
import type { CheckoutState, UnlockItem } from './protocol';
import { storage } from 'wxt/utils/storage';
import type { CacheEntry } from './cache';

/**
 * Every piece of extension storage, in one place. Read and written by the background only.
 *
 * `session:` items live in `storage.session`, which content scripts (and the site's pages) cannot read and
 * which the browser forgets when it closes: the session token is there. `local:` holds settings and the
 * page anchors (public data), which survive a restart.
 */

/** The API address chosen in the popup; null means the build's default. */
export const apiUrlItem = storage.defineItem<string | null>('local:apiUrl', { fallback: null });

/** The language chosen in the popup; null follows the browser's. Content scripts watch it to switch at once. */
export const localeItem = storage.defineItem<Locale | null>('local:locale', { fallback: null });

/** The signed-in account: the bearer token and whose it is. */
export const sessionItem = storage.defineItem<{ token: string; email: string } | null>('session:account', {
  fallback: null,
});

/** An unlock started while signed out: the popup signs in, then the checkout opens. */
export const pendingUnlockItem = storage.defineItem<{ item: UnlockItem; promoCode?: string; at: number } | null>(
  'session:pendingUnlock',
  { fallback: null },
);

/** Checkouts opened from the extension, by item key (`episode:<id>` / `series:<id>`). */
export interface CheckoutRecord {
  purchaseId: string;
  state: CheckoutState;
  at: number;
}
export const checkoutsItem = storage.defineItem<Record<string, CheckoutRecord>>('session:checkouts', { fallback: {} });

/** Public lookup buckets by `<api>|<kind>|<prefix>` (see background/lookups.ts). */
export const lookupCacheItem = storage.defineItem<Record<string, CacheEntry<unknown>>>('session:lookupCache', {
  fallback: {},
});

/** The signed-in viewer's purchases, by token hash prefix, briefly (see background/purchases.ts). */
export const purchasesCacheItem = storage.defineItem<Record<string, CacheEntry<unknown>>>('session:purchasesCache', {
  fallback: {},
});

/** The page anchors served by the API, and when they were last checked (see background/anchors.ts). */
export interface StoredAnchors {
  apiUrl: string;
  checkedAt: number;
  /** The last request failed: `anchors` is the last good set (or none), asked for again sooner. */
  failed: boolean;
  version: number | null;
  etag: string | null;
  /** Null: the server has none this build can read, so the built-in set is used. */
  anchors: AnchorSet | null;
}
export const anchorsItem = storage.defineItem<StoredAnchors | null>('local:anchors', { fallback: null });
