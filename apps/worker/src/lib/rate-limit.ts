import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context.js';
import { toHex } from './encoding.js';
import { ApiError } from './errors.js';

type LimiterName =
  | 'SIGNIN_LIMITER'
  | 'SIGNIN_ADDRESS_LIMITER'
  | 'SIGNIN_ACCOUNT_LIMITER'
  | 'SESSION_LIMITER'
  | 'SIGNUP_LIMITER'
  | 'CHECKOUT_LIMITER'
  | 'UPLOAD_LIMITER'
  | 'VIEWS_LIMITER';

/** The period configured for every limiter in wrangler.jsonc: a refused caller may retry after it. */
const PERIOD_SECONDS = 60;

/**
 * The client's address as Cloudflare reports it (it overwrites any value a client sends). An IPv6 address is
 * cut to its /64, the block one subscriber gets: keyed by the full address, anyone could count as 2^64 clients.
 */
export const clientIp = (c: Context) => addressKey(c.req.header('CF-Connecting-IP') ?? 'unknown');

/** An IPv4 address as it is; an IPv6 address as its /64 prefix, written one way (`2001:db8:0:1::/64`). */
export function addressKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return v4[1]!;
  const [head = '', tail] = ip.split('::', 2) as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  const prefix = groups.slice(0, 4).map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16).toString(16) : g));
  return `${prefix.join(':')}::/64`;
}

type LimitContext = { env: Env; header: (name: string, value: string) => void };

/**
 * Refuses with 429 and `Retry-After` once `key` has been used more than the limiter allows per minute.
 * Keys name the account where there is one, so one abuser cannot lock out everyone behind the same address.
 */
export async function enforceLimit(c: LimitContext, limiter: LimiterName, key: string): Promise<void> {
  const { success } = await c.env[limiter].limit({ key: `${limiter}:${key}` });
  if (!success) {
    c.header('Retry-After', String(PERIOD_SECONDS));
    throw new ApiError(429, 'rate_limited', `Too many requests; try again in ${PERIOD_SECONDS} seconds`, {
      retryAfterSeconds: PERIOD_SECONDS,
    });
  }
}

/**
 * Sign-in attempts, counted three ways and in this order, each count only reached by attempts the one before
 * let through: 10 a minute per account from one client address (a guesser at one address), 30 a minute per
 * address across accounts (one address trying many accounts), and 100 a minute per account from all
 * addresses (a guess spread over many). So one address alone can never lock an account's owner out: its
 * refused attempts stop at the first count, and the owner, from another address, has their own.
 */
export async function enforceSignInLimits(c: Context<AppEnv>, email: string): Promise<void> {
  const ip = clientIp(c);
  await enforceLimit(c, 'SIGNIN_LIMITER', `email:${email}|ip:${ip}`);
  await enforceLimit(c, 'SIGNIN_ADDRESS_LIMITER', `ip:${ip}`);
  await enforceLimit(c, 'SIGNIN_ACCOUNT_LIMITER', `email:${email}`);
}

/** Middleware form, keyed by the signed-in account (routes using it require a session). */
export const limitPerAccount = (limiter: LimiterName) =>
  createMiddleware<AppEnv>(async (c, next) => {
    await enforceLimit(c, limiter, c.var.session?.user.id ?? `ip:${clientIp(c)}`);
    await next();
  });

/** Middleware form, keyed by the client's address (for anonymous routes). */
export const limitPerAddress = (limiter: LimiterName) =>
  createMiddleware<AppEnv>(async (c, next) => {
    await enforceLimit(c, limiter, `ip:${clientIp(c)}`);
    await next();
  });

/**
 * Keyed by the caller's session (a hash of its token, never the token): what a signed-in owner does to
 * their account (password change, deletion) is limited for that session alone, so nobody else's failed
 * attempts, signed in elsewhere or not at all, can use up the owner's allowance.
 */
export const limitPerSession = (limiter: LimiterName) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const token = c.var.session?.token;
    const key = token
      ? `session:${toHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)))}`
      : `ip:${clientIp(c)}`;
    await enforceLimit(c, limiter, key);
    await next();
  });
