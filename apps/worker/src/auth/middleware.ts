import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, CreatorRow, SessionUser } from '../lib/context.js';
import { ApiError } from '../lib/errors.js';
import { allowedOrigins, isAdmin } from './config.js';
import { findSession, findSessionWith, SESSION_COOKIE, type SessionBound } from './queries.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The caller's token, from `Authorization: Bearer` or the session cookie. */
function sessionToken(c: Context<AppEnv>) {
  const bearer = c.req.header('Authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const token = bearer ?? getCookie(c, SESSION_COOKIE);
  return token ? { token, via: bearer ? ('bearer' as const) : ('cookie' as const) } : null;
}

/** Resolves the caller from `Authorization: Bearer` or the session cookie; never rejects on its own. */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  const caller = sessionToken(c);
  const found = caller ? await findSession(c.env.DB, caller.token) : null;
  setSession(c, caller, found);
  await next();
});

/**
 * `loadSession` for a write whose own reads of the directory ride in the session's round trip (mounted before
 * `loadSession`, after the body limit): `reads` names them for this request, their results are `c.var.sessionReads`
 * (empty without a session). Same CSRF rule as `loadSession`.
 */
export const loadSessionWith = (reads: (c: Context<AppEnv>, db: D1Database) => Promise<D1PreparedStatement[]>) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const caller = sessionToken(c);
    const own = caller ? await reads(c, c.env.DB) : [];
    const { session, results } = caller
      ? await findSessionWith(c.env.DB, caller.token, () => own)
      : { session: null, results: [] };
    c.set('sessionReads', session ? results : []);
    setSession(c, caller, session);
    await next();
  });

/** Sets `c.var.session`, refusing a cookie-borne write from another site (CSRF). */
function setSession(
  c: Context<AppEnv>,
  caller: ReturnType<typeof sessionToken>,
  found: { user: SessionUser; creator: CreatorRow | null } | null,
) {
  const bearer = caller?.via === 'bearer';
  const user = found?.user ?? null;
  c.set('session', found && caller ? { ...found, ...caller } : null);

  if (user && !bearer && !SAFE_METHODS.has(c.req.method)) {
    // A cookie rides along on cross-site requests; accept writes only from our own pages.
    const origin = c.req.header('Origin');
    const sameOrigin = origin === new URL(c.req.url).origin;
    const crossSite = c.req.header('Sec-Fetch-Site') === 'cross-site';
    if ((origin && !sameOrigin && !allowedOrigins(c.env).includes(origin)) || (!origin && crossSite)) {
      throw new ApiError(403, 'csrf_rejected', 'Cross-site request refused');
    }
  }
}

/** 401 unless signed in; handlers then read the caller from `c.var.user`. */
export const requireUser = createMiddleware<AppEnv & { Variables: { user: SessionUser } }>(async (c, next) => {
  const session = c.var.session;
  if (!session) throw new ApiError(401, 'unauthorized', 'Sign in first');
  c.set('user', session.user);
  await next();
});

export const requireAdmin = createMiddleware<AppEnv & { Variables: { user: SessionUser } }>(async (c, next) => {
  const session = c.var.session;
  if (!session) throw new ApiError(401, 'unauthorized', 'Sign in first');
  if (!isAdmin(c.env, session.user.email)) throw new ApiError(403, 'forbidden', 'Admins only');
  c.set('user', session.user);
  await next();
});

/** Signed in and has claimed a handle (any rollout status); handlers read it from `c.var.creator`. */
export const requireCreator = createMiddleware<AppEnv & { Variables: { user: SessionUser; creator: CreatorRow } }>(
  async (c, next) => {
    const session = c.var.session;
    if (!session) throw new ApiError(401, 'unauthorized', 'Sign in first');
    const creator = session.creator;
    if (!creator) {
      throw new ApiError(403, 'creator_required', 'Claim your video-site handle first (POST /v1/creators)');
    }
    c.set('user', session.user);
    c.set('creator', creator);
    await next();
  },
);

type Reads = (bound: SessionBound) => D1PreparedStatement[];

/**
 * For the hot reads, routes mounted before `loadSession` (GET only: no CSRF to check): the session and the route's
 * own statements (`bound`, naming the caller as SESSION_USER or SESSION_CREATOR) in one round trip to the database.
 * 401 without a session; sets `c.var.session` as loadSession would. The statements' results, in order.
 */
export async function readAsUser(c: Context<AppEnv>, reads: Reads) {
  const caller = sessionToken(c);
  const { session, results } = caller
    ? await findSessionWith(c.env.DB, caller.token, reads)
    : { session: null, results: [] };
  if (!session || !caller) throw new ApiError(401, 'unauthorized', 'Sign in first');
  c.set('session', { ...session, ...caller });
  return { user: session.user, creator: session.creator, results };
}

/**
 * `readAsUser` for what anyone may read, signed in or not: without a valid session the statements read as
 * nobody's (SESSION_USER is NULL). Still one round trip.
 */
export async function readAsViewer(c: Context<AppEnv>, reads: Reads) {
  const caller = sessionToken(c);
  const { session, results } = await findSessionWith(c.env.DB, caller?.token ?? '', reads);
  c.set('session', session && caller ? { ...session, ...caller } : null);
  return { user: session?.user ?? null, results };
}

/** `readAsUser` for a creator's reads: 403 `creator_required` for an account without a handle. */
export async function readAsCreator(c: Context<AppEnv>, reads: Reads) {
  const read = await readAsUser(c, reads);
  if (!read.creator)
    throw new ApiError(403, 'creator_required', 'Claim your video-site handle first (POST /v1/creators)');
  return { ...read, creator: read.creator };
}
