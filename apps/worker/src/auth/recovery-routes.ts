import { emailVerificationSchema, passwordResetRequestSchema, passwordResetSchema } from '@series/core';
import { Hono } from 'hono';
import type { AppEnv } from '../lib/context.js';
import { ApiError } from '../lib/errors.js';
import { validate } from '../lib/validate.js';
import { hashPassword } from './password.js';
import { toUser } from './queries.js';
import { findMailAccount, resetPasswordWithToken } from './recovery-queries.js';
import {
  emailTaken,
  enforceMailLimits,
  mailOrigin,
  openVerificationLink,
  sendPasswordReset,
  startSessionAfterReset,
} from './recovery.js';

const invalidToken = () =>
  new ApiError(
    400,
    'invalid_token',
    'This link has expired, was used already or is not one of ours; ask for a new one',
  );

/** Verified addresses and forgotten passwords: the links mailed, and what opening them does. */
export const recoveryRoutes = new Hono<AppEnv>()
  .post('/auth/password-reset', validate('json', passwordResetRequestSchema), async (c) => {
    const { email } = c.req.valid('json');
    await enforceMailLimits(c, email);
    // After the answer, which is the same (and as fast) whether the address has an account or not.
    c.executionCtx.waitUntil(
      sendPasswordReset(c.env, mailOrigin(c), email).catch((err) => console.error('password reset mail', err)),
    );
    return c.json({ sent: true }, 202);
  })
  .post('/auth/password-reset/confirm', validate('json', passwordResetSchema), async (c) => {
    const { token, password } = c.req.valid('json');
    const userId = await resetPasswordWithToken(c.env.DB, token, await hashPassword(password));
    if (!userId) throw invalidToken();
    const account = (await findMailAccount(c.env.DB, userId))!;
    const session = await startSessionAfterReset(c, userId);
    const user = { id: userId, email: account.email, createdAt: account.created_at, emailVerifiedAt: Date.now() };
    return c.json({ user: toUser(c.env, user), ...session }, 200);
  })
  .post('/auth/verify-email', validate('json', emailVerificationSchema), async (c) => {
    const outcome = await openVerificationLink(c.env, mailOrigin(c), c.req.valid('json').token);
    if (!outcome.ok) throw outcome.code === 'email_taken' ? emailTaken() : invalidToken();
    return c.json({ verified: true, email: outcome.email }, 200);
  });
