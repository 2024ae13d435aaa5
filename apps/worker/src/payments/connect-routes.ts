import { directory } from '../ledger/placement.js';
import { Hono } from 'hono';
import { z } from 'zod';
import { allowedOrigins } from '../auth/config.js';
import type { AppEnv } from '../lib/context.js';
import { requireCreator } from '../auth/middleware.js';
import { ApiError } from '../lib/errors.js';
import { validate } from '../lib/validate.js';
import { linkStripeAccount, refreshChargesEnabled, stripeView, type StripeCreator } from './queries.js';
import { stripeClient, stripeConfigured, usesTestPayments } from './stripe-client.js';

const onboardingSchema = z.strictObject({
  /** Where Stripe sends the creator back (a dashboard page); must be one of the dashboard's origins. */
  returnUrl: z.url().max(2048).optional(),
});

/** Stripe Connect (Express): where a creator's sales are paid, minus the commission in force (0 today). */
export const connectRoutes = new Hono<AppEnv>()
  .get('/me/stripe', requireCreator, async (c) => {
    let creator = c.var.creator as StripeCreator;
    if (stripeConfigured(c.env) && creator.stripe_account_id) {
      const account = await stripeClient(c.env).accounts.retrieve(creator.stripe_account_id);
      const enabled = account.charges_enabled ? 1 : 0;
      creator = (await refreshChargesEnabled(directory(c.env), creator.id, enabled)) ?? creator;
    }
    return c.json({ stripe: stripeView(c.env, creator) }, 200);
  })
  .post('/me/stripe/onboarding', requireCreator, validate('json', onboardingSchema), async (c) => {
    const env = c.env;
    if (!stripeConfigured(env)) {
      throw new ApiError(409, 'stripe_not_configured', 'Payments run in test mode: there is nothing to connect');
    }
    const { returnUrl } = c.req.valid('json');
    const origins = allowedOrigins(env);
    if (returnUrl && !origins.includes(new URL(returnUrl).origin)) {
      throw new ApiError(400, 'invalid_request', 'returnUrl must be on the dashboard', {
        issues: [{ path: 'returnUrl', message: 'returnUrl must be on the dashboard' }],
      });
    }
    const stripe = stripeClient(env);
    let creator = c.var.creator as StripeCreator;
    if (!creator.stripe_account_id) {
      const account = await stripe.accounts.create(
        {
          type: 'express',
          metadata: { creator_id: creator.id, handle: creator.handle },
          capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
        },
        { idempotencyKey: `account:${creator.id}` },
      );
      creator = (await linkStripeAccount(directory(env), creator.id, account.id)) ?? creator;
    }
    const back = returnUrl ?? `${origins[0] ?? new URL(c.req.url).origin}/`;
    const link = await stripe.accountLinks.create({
      account: creator.stripe_account_id!,
      type: 'account_onboarding',
      refresh_url: back,
      return_url: back,
    });
    return c.json({ url: link.url, stripe: stripeView(env, creator) }, 200);
  });
