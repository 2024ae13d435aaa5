/** Hard limits of a series, mirrored from the video site's own Series feature. */
export const MAX_EPISODES_PER_SERIES = 80;
/** 20 minutes. */
export const MAX_EPISODE_SECONDS = 1200;

export const MAX_TITLE_LENGTH = 120;
export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_DISPLAY_NAME_LENGTH = 60;

/** A handle claim not approved within this many days expires, and the handle is free again. */
export const CLAIM_EXPIRY_DAYS = 30;

/** Bounds of the platform commission, in basis points (10000 = 100%). */
export const MAX_COMMISSION_BPS = 10_000;
export const DEFAULT_COMMISSION_BPS = 0;

/** Largest episode video accepted: 20 minutes of high-bitrate HD with room to spare. */
export const MAX_MEDIA_BYTES = 8 * 1024 ** 3;
/**
 * Upload part size. R2 wants equal parts of at least 5 MiB (the last may be smaller); 10 MiB keeps each
 * request well under the Workers request-body limit and a 20-minute HD file under a few hundred parts.
 */
export const MEDIA_PART_BYTES = 10 * 1024 ** 2;
/** A single-request upload (`PUT /v1/episodes/:id/media`) is capped by the Workers request-body limit. */
export const MAX_SINGLE_UPLOAD_BYTES = 95 * 1024 ** 2;
