import { accountLocaleSchema, emailChangeSchema, notificationSettingsSchema } from '@series/core';
import { Hono } from 'hono';
import { requireCreator, requireUser } from '../auth/middleware.js';
import { verifyPassword } from '../auth/password.js';
import { findMailAccount, findMailAccountByEmail, setAccountLocale } from '../auth/recovery-queries.js';
import { emailTaken, enforceMailLimits, mailOrigin, requestEmailChange, sendVerification } from '../auth/recovery.js';
import type { AppEnv } from '../lib/context.js';
import { ApiError } from '../lib/errors.js';
import { limitPerSession } from '../lib/rate-limit.js';
import { validate } from '../lib/validate.js';
import { findDailySummary, setDailySummary } from '../mail/queries.js';
import { findPasswordHash } from './queries.js';

/**
 * The account's address (verified or not, changed with a link to the new one), the language of its mails, and a
 * creator's optional notices.
 */
export const emailRoutes = new Hono<AppEnv>()
  .post('/me/email/verification', requireUser, async (c) => {
    const account = await findMailAccount(c.env.DB, c.var.user.id);
    if (!account) throw new ApiError(404, 'not_found', 'Account not found');
    // An account made with "Continue with TikTok" has no address to verify until it adds one.
    if (!account.email) throw new ApiError(409, 'no_email', 'This account has no email address: add one first');
    if (account.email_verified_at !== null) {
      throw new ApiError(409, 'already_verified', 'This address is verified already');
    }
    await enforceMailLimits(c, account.email);
    await sendVerification(c.env, mailOrigin(c), account, account.email);
    return c.json({ sent: true, email: account.email }, 202);
  })
  .put('/me/email', requireUser, limitPerSession('SESSION_LIMITER'), validate('json', emailChangeSchema), async (c) => {
    const { email, password } = c.req.valid('json');
    const row = await findPasswordHash(c.env.DB, c.var.user.id);
    // An account signed in with TikTok alone has no password to confirm the change with.
    if (row && !row.password_hash) {
      throw new ApiError(409, 'no_password', 'This account has no password: it signs in with TikTok only');
    }
    if (!row || !(await verifyPassword(password, row.password_hash))) {
      throw new ApiError(403, 'invalid_credentials', 'The password is wrong', {
        issues: [{ path: 'password', message: 'The password is wrong' }],
      });
    }
    if (email === c.var.user.email) {
      throw new ApiError(409, 'same_email', 'This is the account’s address already', {
        issues: [{ path: 'email', message: 'This is the account’s address already' }],
      });
    }
    if (await findMailAccountByEmail(c.env.DB, email)) throw emailTaken();
    await enforceMailLimits(c, email);
    await requestEmailChange(c.env, mailOrigin(c), c.var.user.id, email);
    return c.json({ pending: email }, 202);
  })
  // A creator's optional notices: the daily summary of yesterday's sales (the others always go).
  .get('/me/notifications', requireCreator, async (c) => {
    return c.json({ dailySummary: await findDailySummary(c.env.DB, c.var.creator.id) }, 200);
  })
  .put('/me/notifications', requireCreator, validate('json', notificationSettingsSchema), async (c) => {
    const { dailySummary } = c.req.valid('json');
    await setDailySummary(c.env.DB, c.var.creator.id, dailySummary);
    return c.json({ dailySummary }, 200);
  })
  .put('/me/locale', requireUser, validate('json', accountLocaleSchema), async (c) => {
    const { locale } = c.req.valid('json');
    await setAccountLocale(c.env.DB, c.var.user.id, locale);
    return c.json({ locale }, 200);
  });
