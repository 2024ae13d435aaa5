import { translator, type Locale } from '@series/core';
import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { ApiError } from '../lib/errors.js';
import { clientIp } from '../lib/rate-limit.js';
import { sign } from '../lib/signing.js';
import {
  changeEmailMail,
  emailChangedMail,
  RESET_LINK_TTL_MS,
  resetPasswordMail,
  VERIFY_LINK_TTL_MS,
  verifyEmailMail,
} from '../mail/messages.js';
import { countMailRequest } from '../mail/queries.js';
import { queueMail } from '../mail/queue.js';
import { createSession, SESSION_COOKIE, SESSION_TTL_MS } from './queries.js';
import {
  createAccountToken,
  findMailAccount,
  findMailAccountByEmail,
  type MailAccountRow,
  setAccountLocale,
  verifyEmailWithToken,
} from './recovery-queries.js';

/** Verification and reset mails a person can cause in an hour: per address asked for, per client address. */
export const MAIL_LIMIT_PER_ADDRESS = 5;
export const MAIL_LIMIT_PER_CLIENT = 20;

/** 409: the address belongs to another account. */
export const emailTaken = () =>
  new ApiError(409, 'email_taken', 'Another account uses this address', {
    issues: [{ path: 'email', message: 'Another account uses this address' }],
  });

// Any of the worker's contexts (the API's, the storefront's pages): only the bindings, the request and headers are used.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type WorkerContext = Context<any>;

/** Links in mails point at the public origin (SITE_ORIGIN), else the one the request came to: always our own. */
export const mailOrigin = (c: WorkerContext) => c.env.SITE_ORIGIN || new URL(c.req.url).origin;

const limitKey = (env: Env, key: string) => sign(env.SIGNING_SECRET, 'mail-limit', key);

/**
 * Counts a mail request against the client's address and the address asked for; false (counting nothing) past
 * either hourly limit. Unknown addresses count like known ones, so the answer never tells them apart.
 */
export async function mailRequestAllowed(c: WorkerContext, email: string, now = Date.now()): Promise<boolean> {
  const [client, address] = await Promise.all([
    limitKey(c.env, `ip:${clientIp(c)}`),
    limitKey(c.env, `email:${email}`),
  ]);
  return countMailRequest(
    c.env.DB,
    { key: client, limit: MAIL_LIMIT_PER_CLIENT },
    { key: address, limit: MAIL_LIMIT_PER_ADDRESS },
    now,
  );
}

/** 429 past the hourly mail limits (the same answer whether the address has an account). */
export async function enforceMailLimits(c: WorkerContext, email: string): Promise<void> {
  if (await mailRequestAllowed(c, email)) return;
  c.header('Retry-After', '3600');
  throw new ApiError(
    429,
    'rate_limited',
    'Too many mails asked for this address or from this network; try in an hour',
    {
      retryAfterSeconds: 3600,
    },
  );
}

/**
 * "Forgot password": a reset link to the account using `email`, if there is one. The caller answers the same
 * either way and runs this after answering (waitUntil), so neither the answer nor its timing tells.
 */
export async function sendPasswordReset(env: Env, origin: string, email: string): Promise<void> {
  const account = await findMailAccountByEmail(env.DB, email);
  if (!account?.email) return;
  const token = await createAccountToken(env.DB, 'reset_password', account.id, account.email, RESET_LINK_TTL_MS);
  await queueMail(env, resetPasswordMail(translator(account.locale), origin, account.email, token));
}

/** A verification link to `email`: the account's own address (after sign-up), or the one it asks to move to. */
export async function sendVerification(env: Env, origin: string, account: MailAccountRow, email: string) {
  const token = await createAccountToken(env.DB, 'verify_email', account.id, email, VERIFY_LINK_TTL_MS);
  const t = translator(account.locale);
  await queueMail(
    env,
    email === account.email ? verifyEmailMail(t, origin, email, token) : changeEmailMail(t, origin, email, token),
  );
}

/**
 * After sign-up: the account's language, and a link to confirm its address. Outside the hourly mail limits: an
 * address signs up once (then it is taken), and sign-ups have their own limit per client address.
 */
export async function welcomeAccount(c: WorkerContext, userId: string, email: string, locale: Locale) {
  if (locale !== 'en') await setAccountLocale(c.env.DB, userId, locale);
  const account: MailAccountRow = { id: userId, email, email_verified_at: null, locale, created_at: Date.now() };
  await sendVerification(c.env, mailOrigin(c), account, email);
}

export type VerifyOutcome =
  { ok: true; email: string; userId: string } | { ok: false; code: 'invalid_token' | 'email_taken' };

/**
 * Opens a verification link: the address is confirmed (moving the account to it if it was a change, and then
 * telling the old address). Expired, used and forged links are all `invalid_token`.
 */
export async function openVerificationLink(env: Env, origin: string, token: string): Promise<VerifyOutcome> {
  let done;
  try {
    done = await verifyEmailWithToken(env.DB, token);
  } catch (err) {
    if (err instanceof Error && /UNIQUE constraint failed: users\.email/.test(`${err.message} ${String(err.cause)}`)) {
      return { ok: false, code: 'email_taken' };
    }
    throw err;
  }
  if (!done) return { ok: false, code: 'invalid_token' };
  if (done.previousEmail !== done.email) {
    await queueMail(env, emailChangedMail(translator(done.locale), origin, done.previousEmail, done.email));
  }
  return { ok: true, email: done.email, userId: done.userId };
}

/** The account asks to move to `email`: a link to the new address; the change is made when it is opened. */
export async function requestEmailChange(env: Env, origin: string, userId: string, email: string) {
  const account = await findMailAccount(env.DB, userId);
  if (!account) throw new ApiError(404, 'not_found', 'Account not found');
  await sendVerification(env, origin, account, email);
}

/** Signs the person in on this device (a new session and its cookie), as sign-in does. */
export async function startSessionAfterReset(c: WorkerContext, userId: string) {
  const { token, expiresAt } = await createSession(c.env.DB, userId, c.req.header('User-Agent') ?? null);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: true,
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  });
  return { token, expiresAt: new Date(expiresAt).toISOString() };
}
