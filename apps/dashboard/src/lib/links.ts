import { sourceSchema } from '@series/core';

/**
 * A storefront page of the creator, served by the worker on this same origin: the profile (`/@handle`), a
 * series (`/@handle/<slug>`) or one of its episodes (`/@handle/<slug>/<number>`).
 */
export interface StorefrontTarget {
  handle: string;
  slug?: string;
  episode?: number;
}

/** The ready-made sources offered first; any other word that passes {@link checkSource} works too. */
export const SOURCE_PRESETS = ['bio', 'video', 'story'] as const;

/**
 * The address to share, with `?src=<source>` when a source is given: the storefront counts views, checkouts
 * and purchases per source. Each path segment is encoded on its own, so nothing typed can add a segment or a
 * query.
 * @example storefrontLink('https://series.example', { handle: 'night', slug: 'ferry', episode: 2 }, 'bio')
 *   // "https://series.example/@night/ferry/2?src=bio"
 */
export function storefrontLink(origin: string, target: StorefrontTarget, source: string | null = null): string {
  const segments = [`@${encodeURIComponent(target.handle)}`];
  if (target.slug !== undefined) segments.push(encodeURIComponent(target.slug));
  if (target.slug !== undefined && target.episode !== undefined) segments.push(String(target.episode));
  const url = new URL(`/${segments.join('/')}`, origin);
  if (source !== null) url.searchParams.set('src', source);
  return url.href;
}

/** Whether a word can be a link's source (the API's own rule: `sourceSchema` in @series/core). */
export const isSource = (word: string): boolean => sourceSchema.safeParse(word).success;

/** What the creator types as a source, as the links will carry it: sources are lower-case words. */
export const normaliseSource = (typed: string): string => typed.trim().toLowerCase();

/** A file name for a downloaded QR code: `qr-night-ferry-2-bio`. */
export function qrFileName(target: StorefrontTarget, source: string | null): string {
  return ['qr', target.handle, target.slug, target.episode, source]
    .filter((part) => part !== undefined && part !== null)
    .join('-')
    .replace(/[^a-z0-9_-]+/gi, '_');
}
