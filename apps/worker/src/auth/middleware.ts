import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, CreatorRow, SessionUser } from '../lib/context.js';
import { ApiError } from '../lib/errors.js';
import { allowedOrigins, isAdmin } from './config.js';
import { findSession, SESSION_COOKIE } from './queries.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Resolves the caller from `Authorization: Bearer` or the session cookie; never rejects on its own. */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('Authorization');
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const token = bearer ?? getCookie(c, SESSION_COOKIE);
  const found = token ? await findSession(c.env.DB, token) : null;
  const user = found?.user ?? null;
  c.set('session', found && token ? { ...found, token, via: bearer ? 'bearer' : 'cookie' } : null);

  if (user && !bearer && !SAFE_METHODS.has(c.req.method)) {
    // A cookie rides along on cross-site requests; accept writes only from our own pages.
    const origin = c.req.header('Origin');
    const sameOrigin = origin === new URL(c.req.url).origin;
    const crossSite = c.req.header('Sec-Fetch-Site') === 'cross-site';
    if ((origin && !sameOrigin && !allowedOrigins(c.env).includes(origin)) || (!origin && crossSite)) {
      throw new ApiError(403, 'csrf_rejected', 'Cross-site request refused');
    }
  }
  await next();
});

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
