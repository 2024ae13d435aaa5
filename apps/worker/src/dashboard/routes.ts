import { Hono } from 'hono';
import type { AppEnv } from '../lib/context.js';
import { errorBody } from '../lib/errors.js';

/** The dashboard's page, in the static assets (apps/dashboard/worker-assets/dashboard/index.html). */
const INDEX = '/dashboard/';

/** A last path segment with an extension names a file (`index-3f2a.js`); app addresses never have one. */
const FILE_LIKE = /\.[^/]*$/;

/**
 * The creator dashboard is a single-page app in the worker's static assets. Its files are served before the
 * worker runs, so a request under /dashboard that gets here matched no file: an app address (a deep link or a
 * reload of /dashboard/series/ser_…) gets the app's index.html and the app's router takes it from there. A
 * missing file stays a 404: index.html answered for a script would fail later and less clearly.
 */
export const dashboardRoutes = new Hono<AppEnv>().get('/dashboard/*', async (c) => {
  if (FILE_LIKE.test(c.req.path)) return c.json(errorBody('not_found', `No file at ${c.req.path}`), 404);
  // Through the binding, so the page carries the assets' own headers (_headers: the dashboard's CSP).
  const index = await c.env.ASSETS.fetch(new URL(INDEX, c.req.url));
  if (!index.ok) {
    return c.json(errorBody('not_found', 'The dashboard is not built: npm run build -w @series/dashboard'), 404);
  }
  // A fresh Response: the fetched one's headers are immutable, and the worker's middleware adds its own.
  return new Response(index.body, { status: 200, headers: index.headers });
});
