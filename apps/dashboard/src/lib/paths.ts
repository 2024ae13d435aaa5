/**
 * The dashboard lives under Vite's `base` (`/dashboard/`), on the same origin as the worker's own pages (`/`,
 * `/@handle`, `/checkout/…`). Pages name app paths (`/series/ser_…`) and pass them through {@link appHref}, so
 * the prefix is written once, in vite.config.ts.
 */
const BASE = import.meta.env.BASE_URL.replace(/\/+$/, '');

/** The address of an app path: `/series` → `/dashboard/series`, `/` → `/dashboard/`. */
export function appHref(path: string): string {
  return `${BASE}${path}`;
}

/** The app path of an address: `/dashboard/series` → `/series`, `/dashboard` → `/`. */
export function appPath(pathname: string): string {
  if (!BASE) return pathname;
  return pathname === BASE ? '/' : pathname.startsWith(`${BASE}/`) ? pathname.slice(BASE.length) : pathname;
}

/**
 * The links the client-side router takes over. Anything else on this origin (the worker's pages) is a normal
 * page load, so a link to `/@handle` never renders the dashboard's "not found".
 */
export const APP_SCOPE: RegExp | undefined = BASE
  ? new RegExp(`^${BASE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:[/?#]|$)`)
  : undefined;
