import { passwordChangeSchema } from '@series/core';
import { Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import { requireUser } from '../auth/middleware.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { SESSION_COOKIE, sessionIdOf } from '../auth/queries.js';
import type { AppEnv } from '../lib/context.js';
import { ApiError, notFound } from '../lib/errors.js';
import { limitPerSession } from '../lib/rate-limit.js';
import { validate } from '../lib/validate.js';
import { changePassword, findPasswordHash, listActiveSessions, revokeAllSessions, revokeSession } from './queries.js';

const sessionParam = validate('param', z.object({ id: z.string().regex(/^[0-9a-f]{24}$/) }));
/** Per session: the owner's own attempts, never anyone else's failures, use it up. */
const sessionLimit = limitPerSession('SESSION_LIMITER');

/** The caller's devices: list them, sign one out, sign out everywhere, change the password. */
export const sessionRoutes = new Hono<AppEnv>()
  .get('/me/sessions', requireUser, async (c) => {
    const current = await sessionIdOf(c.env.DB, c.var.session!.token);
    const results = await listActiveSessions(c.env.DB, c.var.user.id, Date.now());
    return c.json(
      {
        sessions: results.map((s) => ({
          id: s.id,
          userAgent: s.user_agent,
          createdAt: new Date(s.created_at).toISOString(),
          expiresAt: new Date(s.expires_at).toISOString(),
          current: s.id === current,
        })),
      },
      200,
    );
  })
  .delete('/me/sessions/:id', requireUser, sessionParam, async (c) => {
    const revoked = await revokeSession(c.env.DB, c.req.valid('param').id, c.var.user.id);
    if (!revoked) throw notFound('Session');
    return c.json({ revoked: true }, 200);
  })
  .post('/auth/logout-all', requireUser, async (c) => {
    const revoked = await revokeAllSessions(c.env.DB, c.var.user.id);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true });
    return c.json({ revoked }, 200);
  })
  .put('/me/password', requireUser, sessionLimit, validate('json', passwordChangeSchema), async (c) => {
    const { currentPassword, newPassword } = c.req.valid('json');
    const user = c.var.user;
    const row = await findPasswordHash(c.env.DB, user.id);
    // An account made with TikTok has no current password: it sets one with POST /v1/me/credentials or Forgot password.
    if (row && !row.password_hash) {
      throw new ApiError(409, 'no_password', 'This account has no password: it signs in with TikTok only');
    }
    if (!row || !(await verifyPassword(currentPassword, row.password_hash))) {
      throw new ApiError(403, 'invalid_credentials', 'The current password is wrong', {
        issues: [{ path: 'currentPassword', message: 'The current password is wrong' }],
      });
    }
    const current = await sessionIdOf(c.env.DB, c.var.session!.token);
    const others = await changePassword(c.env.DB, user.id, await hashPassword(newPassword), current);
    return c.json({ changed: true, revokedOtherSessions: others }, 200);
  });
