/** Hard limits of a series, mirrored from the video site's own Series feature. */
export const MAX_EPISODES_PER_SERIES = 80;
/** 20 minutes. */
export const MAX_EPISODE_SECONDS = 1200;

export const MAX_TITLE_LENGTH = 120;
export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_DISPLAY_NAME_LENGTH = 60;

/** Bounds of the platform commission, in basis points (10000 = 100%). */
export const MAX_COMMISSION_BPS = 10_000;
export const DEFAULT_COMMISSION_BPS = 0;
