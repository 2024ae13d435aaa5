import { directory } from '../ledger/placement.js';
import { Hono } from 'hono';
import type Stripe from 'stripe';
import type { AppEnv } from '../lib/context.js';
import { limitBody } from '../lib/body.js';
import { ApiError } from '../lib/errors.js';
import { recordPaymentEvent } from './queries.js';
import { handleStripeEvent } from './stripe-events.js';
import { stripeClient, stripeConfigured, webCrypto } from './stripe-client.js';

/** Seconds a signed delivery stays acceptable: Stripe's own default, against replays of old deliveries. */
export const SIGNATURE_TOLERANCE_S = 300;

// Provider events can be larger than API requests (a charge lists its refunds), and are verified as raw bytes.
const webhookBody = limitBody(1024 * 1024, '1 MB');

export const webhookRoutes = new Hono<AppEnv>().post('/webhooks/stripe', webhookBody, async (c) => {
  const env = c.env;
  if (!stripeConfigured(env)) throw new ApiError(404, 'not_found', 'Stripe is not configured');
  const signature = c.req.header('Stripe-Signature');
  if (!signature) throw new ApiError(400, 'invalid_signature', 'Missing Stripe-Signature header');
  // The signature covers the exact bytes received: verify before parsing anything.
  const body = await c.req.text();
  let event: Stripe.Event;
  try {
    event = await stripeClient(env).webhooks.constructEventAsync(
      body,
      signature,
      env.STRIPE_WEBHOOK_SECRET,
      SIGNATURE_TOLERANCE_S,
      webCrypto,
    );
  } catch {
    throw new ApiError(400, 'invalid_signature', 'The webhook signature does not match');
  }
  const followUps = await handleStripeEvent(env, event, new URL(c.req.url).origin);
  // Recorded after the state change is written: a failure above makes Stripe retry the delivery. What it did at
  // Stripe is recorded with it, in the same round trip when the creator's ledger is the directory's database.
  const sameDatabase = !followUps || followUps.db === directory(env);
  if (!sameDatabase && followUps.statements.length) await followUps.db.batch(followUps.statements);
  const first = await recordPaymentEvent(
    directory(env),
    event.id,
    event.type,
    Date.now(),
    sameDatabase ? (followUps?.statements ?? []) : [],
  );
  return c.json({ received: true, duplicate: !first }, 200);
});
