import { credentialsSchema, loginSchema } from '@series/core';
import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../lib/context.js';
import { ApiError, isUniqueViolation } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { clientIp, enforceLimit, enforceSignInLimits } from '../lib/rate-limit.js';
import { pickLocale } from '../lib/locale.js';
import { validate } from '../lib/validate.js';
import { welcomeAccount } from './recovery.js';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './password.js';
import type { SessionUser } from '../lib/context.js';
import {
  createSession,
  deleteSession,
  findUserByEmail,
  insertUser,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  toUser,
} from './queries.js';

async function startSession(c: Context<AppEnv>, user: SessionUser) {
  const { token, expiresAt } = await createSession(c.env.DB, user.id, c.req.header('User-Agent') ?? null);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: true,
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  });
  return { user: toUser(c.env, user), token, expiresAt: new Date(expiresAt).toISOString() };
}

export const authRoutes = new Hono<AppEnv>()
  .post('/auth/signup', validate('json', credentialsSchema), async (c) => {
    const { email, password } = c.req.valid('json');
    await enforceLimit(c, 'SIGNUP_LIMITER', `ip:${clientIp(c)}`);
    const user: SessionUser = { id: newId('usr'), email, createdAt: Date.now() };
    try {
      await insertUser(c.env.DB, user, await hashPassword(password));
    } catch (err) {
      if (isUniqueViolation(err, 'users.email')) {
        throw new ApiError(409, 'email_taken', 'An account with this email already exists; sign in instead');
      }
      throw err;
    }
    // The account's language for its mails, and a link to confirm the address (queued: never delays the answer).
    await welcomeAccount(c, user.id, email, pickLocale(c).locale);
    return c.json(await startSession(c, user), 201);
  })
  .post('/auth/login', validate('json', loginSchema), async (c) => {
    const { email, password } = c.req.valid('json');
    // Per account and address, per address, per account: guessing is slow, and no one address locks the owner out.
    await enforceSignInLimits(c, email);
    const row = await findUserByEmail(c.env.DB, email);
    const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_PASSWORD_HASH);
    if (!row || !ok) throw new ApiError(401, 'invalid_credentials', 'Wrong email or password');
    const user = { id: row.id, email: row.email, createdAt: row.created_at, emailVerifiedAt: row.email_verified_at };
    return c.json(await startSession(c, user), 200);
  })
  .post('/auth/logout', async (c) => {
    const session = c.var.session;
    if (session) await deleteSession(c.env.DB, session.token);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true });
    return c.json({ ok: true }, 200);
  });
