/**
 * The video site's identifiers as plain patterns, without zod: the schemas validate with them, and the
 * extension's content script recognises pages with them through `@series/core/site`, so no validation
 * library lands in the script the site's pages load.
 */

/** Handles are stored lower-cased without `@`: letters, digits, `_` and `.`, 2..24 characters. */
export const HANDLE_PATTERN = /^[a-z0-9_.]{2,24}$/;

/** The part of the handle rule a character class cannot say: the video site refuses a trailing period. */
export const hasTrailingPeriod = (handle: string): boolean => handle.endsWith('.');

/** Whether a lower-cased handle without `@` is one the video site could have. */
export const isHandle = (handle: string): boolean => HANDLE_PATTERN.test(handle) && !hasTrailingPeriod(handle);

// One source for both patterns, so "what a video id is" cannot drift between them.
const VIDEO_ID = '[0-9]{1,25}';

/** A video id: the decimal digits of `/@handle/video/<id>`. */
export const VIDEO_ID_PATTERN = new RegExp(`^${VIDEO_ID}$`);

const VIDEO_ID_IN_URL = new RegExp(`/video/(${VIDEO_ID})(?![0-9])`);

/**
 * The video id in a pasted video address, or null when there is none.
 * @example videoIdInUrl('https://www.tiktok.com/@seriesdemo/video/7300000000000000002?lang=en') // "7300000000000000002"
 */
export const videoIdInUrl = (text: string): string | null => VIDEO_ID_IN_URL.exec(text)?.[1] ?? null;
