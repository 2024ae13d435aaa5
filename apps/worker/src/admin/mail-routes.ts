import { Hono } from 'hono';
import { requireAdmin } from '../auth/middleware.js';
import type { AppEnv } from '../lib/context.js';
import { listMailFailures, toMailFailure } from '../mail/queries.js';

/** Mails that could not be sent after every retry (the mail queue's dead letters), newest first. */
export const mailAdminRoutes = new Hono<AppEnv>().get('/admin/mail-failures', requireAdmin, async (c) => {
  const rows = await listMailFailures(c.env.DB, 200);
  return c.json({ failures: rows.map(toMailFailure) }, 200);
});
