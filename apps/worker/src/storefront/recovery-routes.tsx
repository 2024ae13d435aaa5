import { emailSchema, mailTokenSchema, passwordSchema } from '@series/core';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { hashPassword } from '../auth/password.js';
import { findLiveToken, resetPasswordWithToken } from '../auth/recovery-queries.js';
import {
  mailOrigin,
  mailRequestAllowed,
  openVerificationLink,
  sendPasswordReset,
  startSessionAfterReset,
} from '../auth/recovery.js';
import { NO_STORE } from '../lib/cache.js';
import type { StorefrontEnv } from './locale.js';
import {
  EmailVerifiedPage,
  ForgotPasswordPage,
  LinkInvalidPage,
  PasswordChangedPage,
  ResetPasswordPage,
} from './pages/recovery.js';

/**
 * A form posted from another site is refused before its body is read: a reset form carrying someone else's link
 * would sign the visitor into that account (login CSRF).
 */
const sameOriginForm = createMiddleware<StorefrontEnv>(async (c, next) => {
  const origin = c.req.header('Origin');
  const site = c.req.header('Sec-Fetch-Site');
  // A browser that says where the form came from: only this origin (an opaque `null` origin counts when the
  // browser also says the form is same-origin).
  const foreign = origin && origin !== new URL(c.req.url).origin && !(origin === 'null' && site === 'same-origin');
  if (foreign || site === 'cross-site' || site === 'same-site') {
    c.header('Cache-Control', NO_STORE);
    return c.text('Cross-site form refused', 403);
  }
  await next();
});
const noStore = createMiddleware<StorefrontEnv>(async (c, next) => {
  await next();
  c.header('Cache-Control', NO_STORE);
});
const smallForm = bodyLimit({ maxSize: 4096, onError: (c) => c.text('Form too large', 413) });

async function formField(c: Context<StorefrontEnv>, name: string): Promise<string> {
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const value = body[name];
  return typeof value === 'string' ? value : '';
}

/**
 * "Forgot password" and the links of account mails, as pages (mounted by routes.tsx under its locale and
 * page-header middleware): /forgot-password asks for the address, /reset-password?token= sets the new password
 * and signs in here (every other session ends), /verify-email?token= confirms an address. Never cached.
 */
export const recoveryPageRoutes = new Hono<StorefrontEnv>()
  // Only these pages (a sub-app's `*` would reach every page mounted after it). The token in the address never
  // leaves in a Referer: the worker's headers say no-referrer on every page.
  .use('/forgot-password', noStore)
  .use('/reset-password', noStore)
  .use('/verify-email', noStore)
  .get('/forgot-password', (c) => c.html(<ForgotPasswordPage t={c.var.t} />, 200))
  .post('/forgot-password', sameOriginForm, smallForm, async (c) => {
    const t = c.var.t;
    const raw = await formField(c, 'email');
    const email = emailSchema.safeParse(raw);
    if (!email.success) {
      return c.html(<ForgotPasswordPage t={t} email={raw} error={t.t('recover.error.email')} />, 400);
    }
    if (!(await mailRequestAllowed(c, email.data))) {
      c.header('Retry-After', '3600');
      return c.html(<ForgotPasswordPage t={t} email={raw} error={t.t('recover.error.limited')} />, 429);
    }
    c.executionCtx.waitUntil(
      sendPasswordReset(c.env, mailOrigin(c), email.data).catch((err) => console.error('password reset mail', err)),
    );
    return c.html(<ForgotPasswordPage t={t} sentTo={email.data} />, 200);
  })
  .get('/reset-password', async (c) => {
    const token = c.req.query('token') ?? '';
    const live = mailTokenSchema.safeParse(token).success
      ? await findLiveToken(c.env.DB, 'reset_password', token)
      : null;
    if (!live) return c.html(<LinkInvalidPage t={c.var.t} path="/reset-password" />, 400);
    return c.html(<ResetPasswordPage t={c.var.t} token={token} email={live.email} />, 200);
  })
  .post('/reset-password', sameOriginForm, smallForm, async (c) => {
    const t = c.var.t;
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof body.token === 'string' ? body.token : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const live = mailTokenSchema.safeParse(token).success
      ? await findLiveToken(c.env.DB, 'reset_password', token)
      : null;
    if (!live) return c.html(<LinkInvalidPage t={t} path="/reset-password" />, 400);
    if (!passwordSchema.safeParse(password).success) {
      return c.html(
        <ResetPasswordPage t={t} token={token} email={live.email} error={t.t('recover.error.password')} />,
        400,
      );
    }
    const userId = await resetPasswordWithToken(c.env.DB, token, await hashPassword(password));
    if (!userId) return c.html(<LinkInvalidPage t={t} path="/reset-password" />, 400);
    await startSessionAfterReset(c, userId);
    return c.html(<PasswordChangedPage t={t} />, 200);
  })
  .get('/verify-email', async (c) => {
    const t = c.var.t;
    const token = c.req.query('token') ?? '';
    const outcome = mailTokenSchema.safeParse(token).success
      ? await openVerificationLink(c.env, mailOrigin(c), token)
      : ({ ok: false, code: 'invalid_token' } as const);
    if (outcome.ok) return c.html(<EmailVerifiedPage t={t} email={outcome.email} />, 200);
    const message = outcome.code === 'email_taken' ? t.t('recover.error.taken') : undefined;
    return c.html(
      <LinkInvalidPage t={t} path="/verify-email" message={message} />,
      outcome.code === 'email_taken' ? 409 : 400,
    );
  });
