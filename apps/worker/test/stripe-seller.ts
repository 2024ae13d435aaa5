// Shared by the Stripe test files: a seller with a connected account, checkouts and reads in Stripe mode.
import { env } from 'cloudflare:workers';
import { expect, inject } from 'vitest';
import { addEpisode, call, creator, createSeries, idemKey, installVideo } from './helpers';
import { deliver, event, setChargesEnabled, stripeCall } from './stripe-helpers';

/** An approved creator with a connected Stripe account that can take charges, and a published paid series. */
export async function stripeSeller(prices: { ep?: number; bundle?: number } = {}) {
  const owner = await creator();
  const series = await createSeries(owner.token, { bundlePrice: prices.bundle ?? 499 });
  const ep = await addEpisode(owner.token, series.id, { price: prices.ep ?? 199 });
  await installVideo(owner.token, ep.id);
  const onboarding = await stripeCall('POST', '/v1/me/stripe/onboarding', { token: owner.token, body: {} });
  expect(onboarding.status).toBe(200);
  const accountId = onboarding.json.stripe.accountId as string;
  await setChargesEnabled(accountId, true);
  expect(
    (await deliver(event('account.updated', { id: accountId, object: 'account', charges_enabled: true }))).status,
  ).toBe(200);
  const published = await stripeCall('POST', `/v1/series/${series.id}/publish`, { token: owner.token });
  expect(published.status).toBe(200);
  return { owner, series, ep, accountId };
}

export async function stripeCheckout(
  token: string,
  item: { episodeId: string } | { seriesId: string },
  key = idemKey(),
) {
  const res = await stripeCall('POST', '/v1/checkout', { token, body: item, headers: { 'Idempotency-Key': key } });
  expect(res.status).toBeLessThan(300);
  return res.json as { purchaseId: string; checkoutUrl: string };
}

export const access = async (token: string, episodeId: string) =>
  (await call('GET', `/v1/episodes/${episodeId}/access`, { token })).status;
export const totals = async (token: string) => (await call('GET', '/v1/analytics/summary', { token })).json.totals;
export const purchase = (id: string) =>
  env.DB.prepare('SELECT * FROM purchases WHERE id = ?').bind(id).first<Record<string, any>>();

/** The buyer pays the purchase's Checkout Session at the Stripe stand-in: its PaymentIntent (with its charge). */
export async function payAtStripe(purchaseId: string) {
  const sessionId = (await purchase(purchaseId))!.provider_ref as string;
  const session = await (await fetch(`${inject('stripeApi')}/__sessions/${sessionId}/pay`, { method: 'POST' })).json();
  return (session as { payment_intent: string }).payment_intent;
}
