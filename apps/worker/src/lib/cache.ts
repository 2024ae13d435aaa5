/** Public lookups may be cached briefly by browsers and the edge; a publish shows up within a minute. */
export const PUBLIC_CACHE = 'public, max-age=30, s-maxage=60';
export const NO_STORE = 'private, no-store';
