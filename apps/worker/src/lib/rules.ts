/**
 * Rules that several resources write in SQL, each defined once. A rule is a function of the table aliases
 * it reads, so every query names its own aliases and still says the same thing.
 */

/**
 * A creator sells when approved (the gradual rollout) and, once an admin requires verification to sell
 * (verification_settings, migration 0018), when their handle is verified (TikTok or a bio code). Until then the
 * creators from before verification keep selling, unverified.
 */
export const creatorSells = (creator = 'c') =>
  `(${creator}.status = 'approved' AND (${creator}.verified_by IS NOT NULL OR NOT EXISTS (
     SELECT 1 FROM verification_settings WHERE id = 1 AND require_verification = 1)))`;

/** A series is on sale when it is published and its creator sells (`creatorSells`). */
export const onSale = (series = 's', creator = 'c') => `${series}.status = 'published' AND ${creatorSells(creator)}`;

/** The same rule on values already read: the series' status and `creatorSells` read as a column (1 or 0). */
export const isOnSale = (seriesStatus: string | null | undefined, creatorSells: number | boolean | null | undefined) =>
  seriesStatus === 'published' && !!creatorSells;

/**
 * An episode can be sold once its video is installed (`media_key` set): nothing is sold that cannot be watched.
 * Until then the storefront and the extension show it as "coming soon" and checkout answers 409
 * `episode_not_ready`.
 */
export const episodeReady = (episode = 'e') => `${episode}.media_key IS NOT NULL AND ${episode}.review_state IS NULL`;

/**
 * The same rule on values already read. An episode added to a live series while reviews are required (migration
 * 0031) is not ready until an admin approves it (`review_state` pending or rejected until then).
 */
export const isEpisodeReady = (mediaKey: string | null | undefined, reviewState: string | null = null) =>
  mediaKey != null && reviewState === null;

/**
 * The whole series ("buy all") can be sold once at least one of its premium episodes can: before that it would
 * sell nothing that plays (a pre-order). Checkout answers 409 `series_not_ready`.
 */
export const seriesReady = (series = 's') =>
  `EXISTS (SELECT 1 FROM episodes r WHERE r.series_id = ${series}.id AND r.price IS NOT NULL AND ${episodeReady('r')})`;

/** The same rule on episodes already read. */
export const isSeriesReady = (
  episodes: readonly { price: number | null; media_key: string | null; review_state?: string | null }[],
) => episodes.some((e) => e.price !== null && isEpisodeReady(e.media_key, e.review_state ?? null));

/** The database's clock in ms, for reads that are cached for everyone (no per-request instant to bind). */
export const SQL_NOW_MS = `CAST(unixepoch('subsec') * 1000 AS INTEGER)`;

/**
 * The temporary discounts of a series in force at `now` (an SQL expression in ms), as a JSON array of
 * `DiscountTerms` (packages/core discount.ts), for `parseDiscounts`: every price shown or charged reads them here.
 */
export const discountsInForce = (series = 's.id', now = SQL_NOW_MS) =>
  `(SELECT json_group_array(json_object('id', d.id, 'scope', d.scope, 'episodeId', d.episode_id, 'kind', d.kind,
     'value', d.value, 'startsAt', d.starts_at, 'endsAt', d.ends_at))
    FROM discounts d WHERE d.series_id = ${series} AND d.ends_at > ${now} AND d.starts_at <= ${now})`;

/**
 * A column for rows of `episodes` (by its alias): its series' currency and the discounts in force on the series
 * (`discountsInForce`), for `parseOffers` / `saleOn` in packages/core: what every public price shows.
 */
export const episodeOffers = (episode = 'e') =>
  `(SELECT json_object('currency', os.currency, 'discounts', json(${discountsInForce('os.id')}))
    FROM series os WHERE os.id = ${episode}.series_id)`;

/**
 * Whether series must be reviewed by an admin before they go live, and episodes added to a live series too: the
 * platform setting `review_required` (migration 0031), off while no admin turned it on. An SQL value, 1 or 0.
 */
export const REVIEW_REQUIRED = `COALESCE((SELECT value = '1' FROM platform_settings WHERE key = 'review_required'), 0)`;
