// The sale window, one rule for every provider: completion holds it (the test page before money moves, Stripe's
// webhook after), and the SALE_WINDOW queue closes open checkouts when it closes (Stripe's side:
// stripe-sale-window.test.ts).
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { completePurchase } from '../src/ledger/sale-queries';
import { admin, call, publishedSeries, signup, startCheckout, submitCheckout } from './helpers';
import { expectInvariants } from './invariants';

const row = (id: string) =>
  env.DB.prepare('SELECT status, status_reason, paid_at FROM purchases WHERE id = ?')
    .bind(id)
    .first<{ status: string; status_reason: string | null; paid_at: number | null }>();

describe('the sale window', () => {
  it('the queue consumer closes a test-mode checkout in the background once the creator is suspended', async () => {
    const { owner, ep2 } = await publishedSeries();
    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    expect((await call('POST', `/v1/admin/creators/${owner.handle}/suspend`, { token: await admin() })).status).toBe(
      200,
    );
    // Nobody pays or opens the page: the worker's own queue consumer (wrangler.jsonc) ends the checkout.
    await vi.waitFor(
      async () =>
        expect(await row(co.json.purchaseId)).toMatchObject({ status: 'cancelled', status_reason: 'not_on_sale' }),
      { timeout: 15_000, interval: 100 },
    );
    const page = await call('GET', new URL(co.json.checkoutUrl).pathname + new URL(co.json.checkoutUrl).search);
    expect(page.text).toContain('data-status="not_on_sale"');
    expect((await submitCheckout(co.json.checkoutUrl)).status).toBe(303);
    expect((await row(co.json.purchaseId))!.paid_at).toBeNull();
  });

  it('completion refuses an off-sale series whoever confirms, and only the test page minds the checkout’s hour', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const viewer = await signup();
    const before = await startCheckout(viewer.token, { episodeId: ep2.id });
    const after = await startCheckout(viewer.token, { episodeId: ep2.id });
    const late = await startCheckout((await signup()).token, { episodeId: ep2.id });
    await env.DB.prepare('UPDATE purchases SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1000, late.json.purchaseId)
      .run();
    // Past its hour: the test page (money not taken yet) refuses, a captured payment still counts.
    expect((await completePurchase(env.DB, late.json.purchaseId)).outcome).toBe('expired');
    const captured = await startCheckout((await signup()).token, { episodeId: ep2.id });
    await env.DB.prepare('UPDATE purchases SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1000, captured.json.purchaseId)
      .run();
    expect((await completePurchase(env.DB, captured.json.purchaseId, { captured: true })).outcome).toBe('completed');

    expect((await call('POST', `/v1/series/${series.id}/unpublish`, { token: owner.token })).status).toBe(200);
    expect((await completePurchase(env.DB, before.json.purchaseId)).outcome).toBe('not_on_sale');
    expect((await completePurchase(env.DB, after.json.purchaseId, { captured: true })).outcome).toBe('not_on_sale');
    for (const id of [before.json.purchaseId, after.json.purchaseId]) {
      expect(await row(id)).toMatchObject({ status: 'cancelled', status_reason: 'not_on_sale', paid_at: null });
    }
    await expectInvariants();
  });
});
