import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import {
  admin,
  call,
  createSeries,
  creator,
  idemKey,
  publishedSeries,
  signup,
  startCheckout,
  submitCheckout,
  addEpisode,
  setEnvOverrides,
} from './helpers';
import { expectInvariants } from './invariants';

/** With tax on (issue 21): the test provider's rate and a commission, so every sale splits three ways. */
async function withTax<T>(run: () => Promise<T>): Promise<T> {
  setEnvOverrides({ TEST_TAX_RATES: '2000' });
  expect((await call('PUT', '/v1/admin/commission', { token: await admin(), body: { bps: 1500 } })).status).toBe(200);
  return run();
}

afterEach(async () => {
  setEnvOverrides({});
  await call('PUT', '/v1/admin/commission', { token: await admin(), body: { bps: 0 } });
});

describe.each([
  ['without tax', <T>(run: () => Promise<T>) => run()],
  ['with tax', withTax],
])('races keep the invariants (%s)', (label, setting) => {
  it('hundreds of concurrent checkouts and pays for one episode by one viewer: one paid purchase', () =>
    setting(async () => {
      const { ep2 } = await publishedSeries();
      const viewer = await signup();
      const checkouts = await Promise.all(
        Array.from({ length: 120 }, () => startCheckout(viewer.token, { episodeId: ep2.id })),
      );
      const started = checkouts.filter((c) => c.status === 201);
      // The per-account checkout limit turns the excess away; nothing else may fail.
      expect(checkouts.every((c) => c.status === 201 || c.status === 429)).toBe(true);
      expect(started.length).toBeGreaterThan(10);
      const pays = await Promise.all(
        started.flatMap((c) => [submitCheckout(c.json.checkoutUrl), submitCheckout(c.json.checkoutUrl)]),
      );
      expect(pays.every((p) => p.status === 303)).toBe(true);
      const paid = await env.DB.prepare(`SELECT COUNT(*) AS n FROM purchases WHERE buyer_id = ? AND status = 'paid'`)
        .bind(viewer.user.id)
        .first<{ n: number }>();
      expect(paid!.n).toBe(1);
      expect((await call('GET', `/v1/episodes/${ep2.id}/access`, { token: viewer.token })).status).toBe(200);
      await expectInvariants();
    }));

  it('many concurrent pays of one checkout complete it once', () =>
    setting(async () => {
      const { owner, ep3 } = await publishedSeries();
      const viewer = await signup();
      const co = await startCheckout(viewer.token, { episodeId: ep3.id });
      await Promise.all(Array.from({ length: 100 }, () => submitCheckout(co.json.checkoutUrl)));
      const totals = (await call('GET', '/v1/analytics/summary', { token: owner.token })).json.totals;
      expect(totals[0]).toMatchObject({ sales: 1, gross: 299 });
      // With tax: 50 of the 299 (20% included), recorded once however many pays raced.
      expect(totals[0]).toMatchObject(label === 'with tax' ? { tax: 50, commission: 37, payout: 212 } : { tax: 0 });
      await expectInvariants();
    }));
});

describe('races keep the invariants', () => {
  it('concurrent episode creation at the limit never passes 80', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    for (let i = 0; i < 70; i++) await addEpisode(owner.token, series.id, { title: `E${i}` });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call('POST', `/v1/series/${series.id}/episodes`, {
          token: owner.token,
          body: { title: `R${i}`, durationSeconds: 60, price: null },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status === 409).every((r) => r.json.error.code === 'series_full')).toBe(true);
    expect((await call('GET', `/v1/me/series/${series.id}`, { token: owner.token })).json.series.episodeCount).toBe(80);
    await expectInvariants();
  });

  it('concurrent publish and suspend: a suspended creator never ends up on sale', async () => {
    for (let round = 0; round < 5; round++) {
      const owner = await creator();
      const series = await createSeries(owner.token);
      await addEpisode(owner.token, series.id);
      const adminToken = await admin();
      await Promise.all([
        call('POST', `/v1/series/${series.id}/publish`, { token: owner.token }),
        call('POST', `/v1/admin/creators/${owner.handle}/suspend`, { token: adminToken }),
        call('POST', `/v1/series/${series.id}/publish`, { token: owner.token }),
      ]);
      // Whatever interleaving happened, a suspended creator's series is not on sale.
      expect((await call('GET', `/v1/series/${series.id}`)).status).toBe(404);
      const viewer = await signup();
      expect(
        (
          await call('POST', '/v1/checkout', {
            token: viewer.token,
            body: {
              episodeId: (await call('GET', `/v1/me/series/${series.id}`, { token: owner.token })).json.series
                .episodes[0].id,
            },
            headers: { 'Idempotency-Key': idemKey() },
          })
        ).status,
      ).toBe(404);
    }
  });
});

describe('faults', () => {
  it('a statement failing inside the checkout batch leaves nothing behind; a retry with the same key succeeds', async () => {
    const { owner, ep2 } = await publishedSeries();
    const viewer = await signup();
    const key = idemKey();
    // Force the batch's second statement (the funnel counter) to fail, as a storage fault would.
    await env.DB.prepare(
      `CREATE TRIGGER fault_funnel BEFORE INSERT ON funnel_daily WHEN NEW.creator_id = '${(await env.DB.prepare('SELECT creator_id FROM series JOIN episodes ON episodes.series_id = series.id WHERE episodes.id = ?').bind(ep2.id).first<{ creator_id: string }>())!.creator_id}'
       BEGIN SELECT RAISE(ABORT, 'injected fault'); END`,
    ).run();
    try {
      const failed = await startCheckout(viewer.token, { episodeId: ep2.id }, key);
      expect(failed.status).toBe(500);
      expect(failed.json.error).toEqual({ code: 'internal', message: expect.stringContaining('nothing was changed') });
      const rows = await env.DB.prepare('SELECT COUNT(*) AS n FROM purchases WHERE buyer_id = ?')
        .bind(viewer.user.id)
        .first<{ n: number }>();
      expect(rows!.n).toBe(0);
    } finally {
      await env.DB.prepare('DROP TRIGGER fault_funnel').run();
    }
    const retried = await startCheckout(viewer.token, { episodeId: ep2.id }, key);
    expect(retried.status).toBe(201);
    expect((await submitCheckout(retried.json.checkoutUrl)).status).toBe(303);
    expect((await call('GET', '/v1/analytics/summary', { token: owner.token })).json.totals[0]).toMatchObject({
      sales: 1,
    });
    await expectInvariants();
  });

  it('a failure while completing a purchase leaves it pending and unsold; paying again completes it', async () => {
    const { owner, ep2 } = await publishedSeries();
    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    await env.DB.prepare(
      `CREATE TRIGGER fault_rollup BEFORE INSERT ON buyer_days WHEN NEW.buyer_id = '${viewer.user.id}'
       BEGIN SELECT RAISE(ABORT, 'injected fault'); END`,
    ).run();
    try {
      const res = await submitCheckout(co.json.checkoutUrl);
      expect(res.status).toBe(500);
      const row = await env.DB.prepare('SELECT status, paid_at FROM purchases WHERE id = ?')
        .bind(co.json.purchaseId)
        .first();
      expect(row).toEqual({ status: 'pending', paid_at: null });
      expect((await call('GET', '/v1/analytics/summary', { token: owner.token })).json.totals).toEqual([]);
    } finally {
      await env.DB.prepare('DROP TRIGGER fault_rollup').run();
    }
    expect((await submitCheckout(co.json.checkoutUrl)).status).toBe(303);
    expect((await call('GET', `/v1/episodes/${ep2.id}/access`, { token: viewer.token })).status).toBe(200);
    await expectInvariants();
  });
});
