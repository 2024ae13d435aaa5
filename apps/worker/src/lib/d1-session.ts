import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context.js';

/**
 * D1's Sessions API: with read replication on, a session's first query may go to a nearby read replica
 * ('first-unconstrained'), to the primary ('first-primary'), or to any copy at least as new as a bookmark the
 * client got from an earlier answer. Every later query of the request sees what the earlier ones saw.
 */
export const BOOKMARK_HEADER = 'x-d1-bookmark';

/** D1's bookmark form (`00000000-0000001b-00000000-<32 hex>`); anything else is ignored, never passed to D1. */
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

/** The session cookie's name (auth/queries.ts SESSION_COOKIE), read here without importing the auth folder. */
const SESSION_COOKIE = '__Host-series_session';

/**
 * Paths that move money or grant access: checkout, its test page and Stripe's webhooks, playback grants and
 * the media they open, admin. They read the primary, whatever the client says.
 */
const PRIMARY_PATHS = [
  /^\/v1\/checkout$/,
  /^\/checkout\//,
  /^\/v1\/webhooks\//,
  /^\/v1\/episodes\/[^/]+\/access$/,
  /^\/v1\/media\//,
  /^\/v1\/admin\//,
];

/**
 * Where a request's reads start. The primary for writes, for money paths, and for any request carrying a session
 * (a sign-out or a password change must be seen at once by the next request); a public read starts on any copy at
 * least as new as the client's bookmark, or on the nearest one.
 */
export function sessionConstraint(c: Context<AppEnv>): D1SessionConstraint | D1SessionBookmark {
  const { method, path } = c.req;
  const signedIn = !!c.req.header('Authorization') || getCookie(c, SESSION_COOKIE) !== undefined;
  if ((method !== 'GET' && method !== 'HEAD') || signedIn || PRIMARY_PATHS.some((p) => p.test(path))) {
    return 'first-primary';
  }
  const bookmark = c.req.header(BOOKMARK_HEADER);
  return bookmark && BOOKMARK.test(bookmark) ? bookmark : 'first-unconstrained';
}

/**
 * Runs the request on one D1 session (`c.env.DB` is that session for everything below) and answers its bookmark in
 * `x-d1-bookmark`, which clients send back so that a read after their own write sees it, on any replica.
 * Queue consumers and the cron use `env.DB` as it is: the primary.
 */
export const d1Session = createMiddleware<AppEnv>(async (c, next) => {
  const session = c.env.DB.withSession(sessionConstraint(c));
  // A per-request copy of the bindings: the isolate's own `env` is shared by concurrent requests.
  c.env = { ...c.env, DB: session as unknown as D1Database };
  await next();
  const bookmark = session.getBookmark();
  if (!bookmark) return;
  try {
    c.res.headers.set(BOOKMARK_HEADER, bookmark);
  } catch {
    // An answer from the cache has immutable headers; a copy carries the bookmark.
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set(BOOKMARK_HEADER, bookmark);
  }
});
