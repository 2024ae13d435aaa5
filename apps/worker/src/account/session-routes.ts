import { passwordChangeSchema } from '@series/core';
import { Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import { requireUser } from '../auth/middleware.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { SESSION_COOKIE, sessionIdOf } from '../auth/queries.js';
import type { AppEnv } from '../lib/context.js';
import { ApiError, notFound } from '../lib/errors.js';
import { enforceLimit } from '../lib/rate-limit.js';
import { validate } from '../lib/validate.js';

const sessionParam = validate('param', z.object({ id: z.string().regex(/^[0-9a-f]{24}$/) }));

/** The caller's devices: list them, sign one out, sign out everywhere, change the password. */
export const sessionRoutes = new Hono<AppEnv>()
  .get('/me/sessions', requireUser, async (c) => {
    const current = await sessionIdOf(c.env.DB, c.var.session!.token);
    const { results } = await c.env.DB.prepare(
      `SELECT id, user_agent, created_at, expires_at FROM sessions WHERE user_id = ? AND expires_at > ?
       ORDER BY created_at DESC`,
    )
      .bind(c.var.user.id, Date.now())
      .all<{ id: string; user_agent: string | null; created_at: number; expires_at: number }>();
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
    const revoked = await c.env.DB.prepare('DELETE FROM sessions WHERE id = ? AND user_id = ?')
      .bind(c.req.valid('param').id, c.var.user.id)
      .run();
    if (!revoked.meta.changes) throw notFound('Session');
    return c.json({ revoked: true }, 200);
  })
  .post('/auth/logout-all', requireUser, async (c) => {
    const revoked = await c.env.DB.prepare('DELETE FROM sessions WHERE user_id = ?').bind(c.var.user.id).run();
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true });
    return c.json({ revoked: revoked.meta.changes }, 200);
  })
  .put('/me/password', requireUser, validate('json', passwordChangeSchema), async (c) => {
    const { currentPassword, newPassword } = c.req.valid('json');
    const user = c.var.user;
    await enforceLimit(c, 'SIGNIN_LIMITER', `email:${user.email}`);
    const row = await c.env.DB.prepare('SELECT password_hash FROM users WHERE id = ?').bind(user.id).first<{ password_hash: string }>();
    if (!row || !(await verifyPassword(currentPassword, row.password_hash))) {
      throw new ApiError(403, 'invalid_credentials', 'The current password is wrong', {
        issues: [{ path: 'currentPassword', message: 'The current password is wrong' }],
      });
    }
    const current = await sessionIdOf(c.env.DB, c.var.session!.token);
    // The new password and the end of every other session land together.
    const [, others] = await c.env.DB.batch([
      c.env.DB.prepare('UPDATE users SET password_hash = ? WHERE id = ?').bind(await hashPassword(newPassword), user.id),
      c.env.DB.prepare('DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?').bind(user.id, current),
    ]);
    return c.json({ changed: true, revokedOtherSessions: others?.meta.changes ?? 0 }, 200);
  });
