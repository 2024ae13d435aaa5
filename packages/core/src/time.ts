/** The UTC calendar day of an instant, `YYYY-MM-DD`: the day rollups, analytics and their charts are keyed by. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * A whole number of seconds as m:ss, the way creators type and read episode lengths.
 * @example formatDuration(95) // "1:35"
 */
export const formatDuration = (seconds: number): string =>
  `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
