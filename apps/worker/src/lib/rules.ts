/**
 * Rules that several resources write in SQL, each defined once. A rule is a function of the table aliases
 * it reads, so every query names its own aliases and still says the same thing.
 */

/** A series is on sale when it is published and its creator approved (the gradual rollout). */
export const onSale = (series = 's', creator = 'c') =>
  `${series}.status = 'published' AND ${creator}.status = 'approved'`;

/** The same rule on values already read (a row joined in JavaScript). */
export const isOnSale = (seriesStatus: string | null | undefined, creatorStatus: string | null | undefined) =>
  seriesStatus === 'published' && creatorStatus === 'approved';
