import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context.js';
import { ApiError } from './errors.js';

type LimiterName = 'SIGNIN_LIMITER' | 'SIGNUP_LIMITER' | 'CHECKOUT_LIMITER' | 'UPLOAD_LIMITER';

/** The period configured for every limiter in wrangler.jsonc: a refused caller may retry after it. */
const PERIOD_SECONDS = 60;

/** The client's address as Cloudflare reports it (it overwrites any value a client sends). */
export const clientIp = (c: Context) => c.req.header('CF-Connecting-IP') ?? 'unknown';

/**
 * Refuses with 429 and `Retry-After` once `key` has been used more than the limiter allows per minute.
 * Keys name the account where there is one, so one abuser cannot lock out everyone behind the same address.
 */
export async function enforceLimit(
  c: { env: Env; header: (name: string, value: string) => void },
  limiter: LimiterName,
  key: string,
): Promise<void> {
  const { success } = await c.env[limiter].limit({ key: `${limiter}:${key}` });
  if (!success) {
    c.header('Retry-After', String(PERIOD_SECONDS));
    throw new ApiError(429, 'rate_limited', `Too many requests; try again in ${PERIOD_SECONDS} seconds`, {
      retryAfterSeconds: PERIOD_SECONDS,
    });
  }
}

/** Middleware form, keyed by the signed-in account (routes using it require a session). */
export const limitPerAccount = (limiter: LimiterName) =>
  createMiddleware<AppEnv>(async (c, next) => {
    await enforceLimit(c, limiter, c.var.session?.user.id ?? `ip:${clientIp(c)}`);
    await next();
  });
