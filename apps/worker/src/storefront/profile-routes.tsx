import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { revokeAllSessions } from '../account/queries.js';
import { findSession, SESSION_COOKIE } from '../auth/queries.js';
import { giftOrder, listGifts } from '../ledger/gift-queries.js';
import { fromEveryLedger } from '../ledger/placement.js';
import { NO_STORE } from '../lib/cache.js';
import type { StorefrontEnv } from './locale.js';
import { ProfilePage } from './pages/profile.js';

/**
 * The short account page of the storefront (mounted by routes.tsx under its locale and page-header middleware):
 * never cached; signing out everywhere is a form from this page only (a cross-site post is refused).
 */
export const profileRoutes = new Hono<StorefrontEnv>()
  .get('/account', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    const found = token ? await findSession(c.env.DB, token) : null;
    c.header('Cache-Control', NO_STORE);
    const account = found ? { email: found.user.email, verified: found.user.emailVerifiedAt != null } : null;
    const gifts = found ? (await fromEveryLedger(c.env, (db) => listGifts(db, found.user.id))).sort(giftOrder) : [];
    return c.html(<ProfilePage t={c.var.t} account={account} gifts={gifts} />, 200);
  })
  .post('/account/sign-out-everywhere', async (c) => {
    const origin = c.req.header('Origin');
    const site = c.req.header('Sec-Fetch-Site');
    const foreign = origin && origin !== new URL(c.req.url).origin && !(origin === 'null' && site === 'same-origin');
    c.header('Cache-Control', NO_STORE);
    if (foreign || site === 'cross-site' || site === 'same-site') return c.text('Cross-site form refused', 403);
    const token = getCookie(c, SESSION_COOKIE);
    const found = token ? await findSession(c.env.DB, token) : null;
    if (found) await revokeAllSessions(c.env.DB, found.user.id);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true });
    return c.html(<ProfilePage t={c.var.t} account={null} />, 200);
  });
