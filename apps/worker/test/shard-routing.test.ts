// Ledgers in shards of their own (docs/scaling.md, src/ledger/placement.ts). The test pool has a second D1 database,
// LEDGER_B, with every migration applied; an environment whose LEDGER_SHARDS pins one creator there routes that
// creator's money paths to it. The catalogue and accounts are written to the directory (DB) by their routes, so the
// shard gets copies of the rows its ledger's SQL reads (`copyToShard`): what docs/scaling.md lists as not split yet.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { placeCreator } from '../src/ledger/placement';
import { stripeClient } from '../src/payments/stripe-client';
import { countedCall } from './d1-counter';
import { idemKey, PASSWORD, publishedSeries, signup, startCheckout, submitCheckout } from './helpers';
import { expectInvariants } from './invariants';
import { waitForMail } from './mail-helpers';
import {
  disputeEvent,
  event,
  refundEvent,
  stripeEnv,
  stripeId,
  stripeRequests,
  WEBHOOK_SECRET,
} from './stripe-helpers';
import { stripeSeller } from './stripe-seller';
import { createScheduledController } from 'cloudflare:test';
import worker from '../src/index';

const B = () => env.LEDGER_B;

/** Copies rows of the directory to the shard, as they are (columns included). */
async function copyRows(table: string, where: string, ...binds: unknown[]) {
  const { results } = await env.DB.prepare(`SELECT * FROM ${table} WHERE ${where}`)
    .bind(...binds)
    .all<Record<string, unknown>>();
  for (const row of results) {
    const cols = Object.keys(row);
    await B()
      .prepare(`INSERT OR REPLACE INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
      .bind(...Object.values(row))
      .run();
  }
}

/** What a creator's ledger reads besides itself: their catalogue, and the accounts its rows name (buyers too). */
async function copyToShard(creatorId: string, userIds: string[]) {
  for (const id of userIds) await copyRows('users', 'id = ?', id);
  await copyRows('users', 'id = (SELECT user_id FROM creators WHERE id = ?)', creatorId);
  await copyRows('creators', 'id = ?', creatorId);
  await copyRows('series', 'creator_id = ?', creatorId);
  await copyRows('series_slugs', 'series_id IN (SELECT id FROM series WHERE creator_id = ?)', creatorId);
  await copyRows('episodes', 'series_id IN (SELECT id FROM series WHERE creator_id = ?)', creatorId);
}

const creatorOf = async (seriesId: string) =>
  (await env.DB.prepare('SELECT creator_id FROM series WHERE id = ?').bind(seriesId).first<{ creator_id: string }>())!
    .creator_id;

/** The deploy's environment with `creatorId` pinned to LEDGER_B (every other creator stays on DB). */
const pinnedTo = (base: Env, creatorId: string): Env => ({
  ...base,
  LEDGER_SHARDS: { hashed: ['DB'], pinned: { [creatorId]: 'LEDGER_B' } },
});

const purchaseIn = (db: D1Database, id: string) =>
  db.prepare('SELECT * FROM purchases WHERE id = ?').bind(id).first<Record<string, any>>();
const salesOf = async (db: D1Database, creatorId: string) =>
  (await db
    .prepare('SELECT COALESCE(SUM(sales), 0) AS n FROM sales_daily WHERE creator_id = ?')
    .bind(creatorId)
    .first<{ n: number }>())!.n;

/** Delivers a signed Stripe event to the worker with `base` as its environment, counting each database. */
async function deliverTo(base: Env, evt: unknown) {
  const payload = JSON.stringify(evt);
  const header = await stripeClient(
    stripeEnv() as Env & { STRIPE_SECRET_KEY: string },
  ).webhooks.generateTestHeaderStringAsync({
    payload,
    secret: WEBHOOK_SECRET,
    timestamp: Math.floor(Date.now() / 1000),
  });
  return countedCall('POST', '/v1/webhooks/stripe', {
    raw: payload,
    env: base,
    also: ['LEDGER_B'],
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': header },
  });
}

describe('placement (src/ledger/placement.ts)', () => {
  it('one ledger by default; a pin wins; hashing is stable and moves creators only onto an added database', () => {
    expect(placeCreator({ hashed: ['DB'] }, 'cr_anyone')).toBe('DB');
    expect(placeCreator({ hashed: ['DB'], pinned: { cr_star: 'LEDGER_B' } }, 'cr_star')).toBe('LEDGER_B');
    const ids = Array.from({ length: 400 }, (_, i) => `cr_${i.toString(36).padStart(8, '0')}`);
    const two = ids.map((id) => placeCreator({ hashed: ['DB', 'L2'] }, id));
    const three = ids.map((id) => placeCreator({ hashed: ['DB', 'L2', 'L3'] }, id));
    // Spread over both, and the same answer every time.
    expect(two.filter((s) => s === 'L2').length).toBeGreaterThan(120);
    expect(ids.map((id) => placeCreator({ hashed: ['DB', 'L2'] }, id))).toEqual(two);
    // A third database takes about a third, each from either old one; nobody moves between the old ones.
    const moved = ids.filter((_, i) => two[i] !== three[i]);
    expect(moved.every((id) => three[ids.indexOf(id)] === 'L3')).toBe(true);
    expect(moved.length).toBeGreaterThan(80);
    expect(moved.length).toBeLessThan(200);
  });

  it('refuses a shard map naming a binding that is not a D1 database', async () => {
    const { ep2, series } = await publishedSeries();
    const buyer = await signup();
    const broken = { ...env, LEDGER_SHARDS: { hashed: ['DB'], pinned: { [await creatorOf(series.id)]: 'NOPE' } } };
    const res = await countedCall('POST', '/v1/checkout', {
      token: buyer.token,
      body: { episodeId: ep2.id },
      headers: { 'Idempotency-Key': idemKey() },
      env: broken as Env,
    });
    expect(res.status).toBe(500);
  });
});

describe('a creator whose ledger is in another database', () => {
  it('test mode: the purchase lands in its creator’s shard and not the directory’s; paying completes it there', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const creatorId = await creatorOf(series.id);
    const buyer = await signup();
    await copyToShard(creatorId, [buyer.user.id]);
    const shardEnv = pinnedTo(env, creatorId);

    const co = await countedCall('POST', '/v1/checkout', {
      token: buyer.token,
      body: { episodeId: ep2.id },
      headers: { 'Idempotency-Key': idemKey() },
      env: shardEnv,
      also: ['LEDGER_B'],
    });
    expect(co.status, co.text).toBe(201);
    // The directory says whose item it is and the commission, in the session's round trip; the shard decides and
    // records: 3 in all, checkout's budget.
    expect(co.count.sequential).toBe(1);
    expect(co.counts.LEDGER_B!.sequential).toBe(2);
    expect(co.count.log.join('\n')).not.toMatch(/INTO purchases|FROM purchases/);
    expect(new URL(co.json.checkoutUrl).searchParams.get('c')).toBe(creatorId);
    expect((await purchaseIn(B(), co.json.purchaseId))?.status).toBe('pending');
    expect(await purchaseIn(env.DB, co.json.purchaseId)).toBeNull();

    const url = new URL(co.json.checkoutUrl);
    const page = await countedCall('GET', `${url.pathname}${url.search}`, { env: shardEnv, also: ['LEDGER_B'] });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`name="c" value="${creatorId}"`);
    const pay = await countedCall('POST', `${url.pathname}/pay`, {
      raw: new URLSearchParams({ sig: url.searchParams.get('sig')!, c: creatorId }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      env: shardEnv,
      also: ['LEDGER_B'],
    });
    expect(pay.status).toBe(303);
    // Completion is the shard's alone: the directory is not asked.
    expect(pay.count.calls).toBe(0);
    expect(pay.counts.LEDGER_B!.sequential).toBeLessThanOrEqual(2);
    expect((await purchaseIn(B(), co.json.purchaseId))?.status).toBe('paid');
    expect(await salesOf(B(), creatorId)).toBe(1);
    expect(await salesOf(env.DB, creatorId)).toBe(0);

    // The creator's analytics come from their shard: the session (and the commission in force) from the
    // directory, then the figures from the shard alone.
    const summary = await countedCall('GET', '/v1/analytics/summary', {
      token: owner.token,
      env: shardEnv,
      also: ['LEDGER_B'],
    });
    expect(summary.status, summary.text).toBe(200);
    expect(summary.json.totals).toMatchObject([{ currency: 'USD', sales: 1, gross: 199 }]);
    expect(summary.json.currentCommissionBps).toBe(0);
    expect([summary.count.sequential, summary.counts.LEDGER_B!.sequential]).toEqual([1, 1]);
    expect(summary.count.log.join('\n')).not.toMatch(/sales_daily|sales_totals/);
    const episodes = await countedCall('GET', `/v1/analytics/episodes?seriesId=${series.id}`, {
      token: owner.token,
      env: shardEnv,
      also: ['LEDGER_B'],
    });
    expect(episodes.status, episodes.text).toBe(200);
    expect(episodes.json.rows.find((r: { episodeId: string }) => r.episodeId === ep2.id)).toMatchObject({ sales: 1 });
    // Another creator's series as a filter is refused on the shard as in the directory.
    const foreign = await countedCall('GET', `/v1/analytics/episodes?seriesId=${(await publishedSeries()).series.id}`, {
      token: owner.token,
      env: shardEnv,
    });
    expect(foreign.status).toBe(404);
    // The directory's database holds none of it.
    expect((await countedCall('GET', '/v1/analytics/summary', { token: owner.token })).json.totals).toEqual([]);

    // Without the creator in the link (a link made before it named one) the purchase is looked for in the
    // directory's database, where it is not: not found, nothing paid twice.
    const legacy = await countedCall('GET', `${url.pathname}?sig=${url.searchParams.get('sig')}`, { env: shardEnv });
    expect(legacy.status).toBe(404);

    // The access check reads exactly one shard: the session and the episode in the directory, ownership in B.
    const access = await countedCall('GET', `/v1/episodes/${ep2.id}/access`, {
      token: buyer.token,
      env: shardEnv,
      also: ['LEDGER_B'],
    });
    expect(access.status, access.text).toBe(200);
    expect(access.json.reason).toBe('purchased');
    expect(access.counts.LEDGER_B!.calls).toBe(1);
    expect(access.count.sequential).toBe(1);
    expect(access.count.log.join('\n')).not.toMatch(/FROM purchases/);

    // The buyer's purchase on another creator (on DB) is checked there, and B is not asked.
    const other = await publishedSeries();
    const bought = await startCheckout(buyer.token, { episodeId: other.ep2.id });
    expect((await submitCheckout(bought.json.checkoutUrl)).status).toBe(303);
    const elsewhere = await countedCall('GET', `/v1/episodes/${other.ep2.id}/access`, {
      token: buyer.token,
      env: shardEnv,
      also: ['LEDGER_B'],
    });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.counts.LEDGER_B!.calls).toBe(0);
    // Someone else, who bought nothing, is offered it for sale, priced by the creator's ledger.
    const stranger = await signup();
    await copyToShard(creatorId, [stranger.user.id]);
    const locked = await countedCall('GET', `/v1/episodes/${ep2.id}/access`, {
      token: stranger.token,
      env: shardEnv,
      also: ['LEDGER_B'],
    });
    expect(locked.status).toBe(402);
    expect(locked.json.buyOptions[0]).toMatchObject({ kind: 'episode', amount: 199 });

    // The buyer's own reads span creators: every ledger at once, after the session (2 round trips).
    const library = await countedCall('GET', '/v1/me/purchases', {
      token: buyer.token,
      env: shardEnv,
      also: ['LEDGER_B'],
    });
    expect(library.status).toBe(200);
    expect(library.json.purchases.map((p: { id: string }) => p.id)).toEqual([
      bought.json.purchaseId,
      co.json.purchaseId,
    ]);
    expect([library.count.sequential, library.counts.LEDGER_B!.calls]).toEqual([2, 1]);
    const poll = await countedCall('GET', `/v1/purchases/${co.json.purchaseId}`, { token: buyer.token, env: shardEnv });
    expect(poll.json.purchase).toMatchObject({ id: co.json.purchaseId, status: 'paid' });
    // The directory's database alone does not have it.
    expect((await countedCall('GET', `/v1/purchases/${co.json.purchaseId}`, { token: buyer.token })).status).toBe(404);
    // The data export lists the purchases of every ledger.
    const exported = await countedCall('GET', '/v1/me/export', { token: buyer.token, env: shardEnv });
    expect(exported.status).toBe(200);
    expect(exported.json.purchases.map((p: { id: string }) => p.id).sort()).toEqual(
      [bought.json.purchaseId, co.json.purchaseId].sort(),
    );
    // A refund request is the creator's ledger's too.
    const asked = await countedCall('POST', `/v1/purchases/${co.json.purchaseId}/refund-request`, {
      token: buyer.token,
      env: shardEnv,
      body: { reason: 'Not what I expected' },
    });
    expect(asked.status, asked.text).toBe(201);
    expect(
      await B()
        .prepare('SELECT creator_id FROM refund_requests WHERE purchase_id = ?')
        .bind(co.json.purchaseId)
        .first(),
    ).toEqual({ creator_id: creatorId });
    const request = await countedCall('GET', `/v1/purchases/${co.json.purchaseId}/refund-request`, {
      token: buyer.token,
      env: shardEnv,
    });
    expect(request.json.request).toMatchObject({ status: 'pending' });
    // The creator is told, from the request in their ledger.
    const told = await waitForMail(owner.email, /refund/i);
    expect(told.text_body).toContain('Not what I expected');

    await expectInvariants(B());
    await expectInvariants();
  });

  it('Stripe: the creator travels in the session’s and the PaymentIntent’s metadata; each webhook is handled in the shard', async () => {
    const seller = await stripeSeller();
    const creatorId = await creatorOf(seller.series.id);
    const buyer = await signup();
    await copyToShard(creatorId, [buyer.user.id]);
    const shardEnv = pinnedTo(stripeEnv(), creatorId);

    const co = await countedCall('POST', '/v1/checkout', {
      token: buyer.token,
      body: { episodeId: seller.ep.id },
      headers: { 'Idempotency-Key': idemKey() },
      env: shardEnv,
      also: ['LEDGER_B'],
    });
    expect(co.status, co.text).toBe(201);
    const row = (await purchaseIn(B(), co.json.purchaseId))!;
    expect(await purchaseIn(env.DB, co.json.purchaseId)).toBeNull();
    const sent = (await stripeRequests()).filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
    expect(sent.form).toMatchObject({
      'metadata[purchase_id]': row.id,
      'metadata[creator_id]': creatorId,
      'payment_intent_data[metadata][purchase_id]': row.id,
      'payment_intent_data[metadata][creator_id]': creatorId,
    });

    // The buyer pays at Stripe: the session completes, its PaymentIntent carries the metadata.
    const paid = await (
      await fetch(`${inject('stripeApi')}/__sessions/${row.provider_ref}/pay`, { method: 'POST' })
    ).json<Record<string, any>>();
    const pi = paid.payment_intent as string;
    const completed = await deliverTo(
      shardEnv,
      event('checkout.session.completed', {
        id: row.provider_ref,
        object: 'checkout.session',
        payment_status: 'paid',
        payment_intent: pi,
        client_reference_id: row.id,
        metadata: paid.metadata,
      }),
    );
    expect(completed.status).toBe(200);
    // The directory records the event id only; the completion is the shard's.
    expect(completed.count.log.join('\n')).not.toMatch(/purchases/);
    expect(completed.counts.LEDGER_B!.sequential).toBeLessThanOrEqual(2);
    expect(await purchaseIn(B(), row.id)).toMatchObject({ status: 'paid', payment_ref: pi });
    expect(await salesOf(B(), creatorId)).toBe(1);

    // A refund made in the Stripe Dashboard carries no metadata of ours: its PaymentIntent names the creator.
    const refund = await deliverTo(shardEnv, refundEvent(pi, 50));
    expect(refund.status).toBe(200);
    expect(
      await B()
        .prepare('SELECT creator_id, applied_token IS NOT NULL AS applied FROM payment_refunds WHERE payment_ref = ?')
        .bind(pi)
        .first(),
    ).toEqual({ creator_id: creatorId, applied: 1 });
    // A dispute (of what is left) never does: the same PaymentIntent routes it to the shard.
    const dispute = await deliverTo(
      shardEnv,
      disputeEvent('charge.dispute.created', pi, 149, 'needs_response', stripeId('dp')),
    );
    expect(dispute.status).toBe(200);
    expect(dispute.count.log.join('\n')).not.toMatch(/payment_disputes|purchases/);
    expect((await purchaseIn(B(), row.id))?.dispute_state).toBe('open');
    const disputes = await B()
      .prepare('SELECT creator_id FROM payment_disputes WHERE payment_ref = ?')
      .bind(pi)
      .all<{ creator_id: string }>();
    expect(disputes.results).toEqual([{ creator_id: creatorId }]);
    expect(
      (await env.DB.prepare('SELECT COUNT(*) AS n FROM payment_disputes WHERE payment_ref = ?').bind(pi).first())!.n,
    ).toBe(0);
    await expectInvariants(B());
  });

  it('Stripe Tax with a shard: the tax and the creator’s transfer are recorded in the shard, never the directory', async () => {
    const seller = await stripeSeller({ ep: 299 });
    const creatorId = await creatorOf(seller.series.id);
    const buyer = await signup();
    await copyToShard(creatorId, [buyer.user.id]);
    const shardEnv = pinnedTo({ ...stripeEnv(), STRIPE_TAX: 'on' }, creatorId);
    const co = await countedCall('POST', '/v1/checkout', {
      token: buyer.token,
      body: { episodeId: seller.ep.id },
      headers: { 'Idempotency-Key': idemKey() },
      env: shardEnv,
    });
    expect(co.status, co.text).toBe(201);
    const row = (await purchaseIn(B(), co.json.purchaseId))!;
    expect(row.separate_charge).toBe(1);
    const paid = await (
      await fetch(`${inject('stripeApi')}/__sessions/${row.provider_ref}/pay`, { method: 'POST' })
    ).json<Record<string, any>>();
    const pi = paid.payment_intent as string;
    const completed = await deliverTo(
      shardEnv,
      event('checkout.session.completed', {
        id: row.provider_ref,
        object: 'checkout.session',
        payment_status: 'paid',
        payment_intent: pi,
        client_reference_id: row.id,
        metadata: paid.metadata,
        total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 50 },
      }),
    );
    expect(completed.status).toBe(200);
    expect(completed.count.log.join('\n')).not.toMatch(/purchases/);
    const after = (await purchaseIn(B(), row.id))!;
    expect(after).toMatchObject({ status: 'paid', tax_amount: 50, payout_amount: 249, transfer_reversed: 0 });
    expect(after.transfer_ref).toMatch(/^tr_test/);
    const refund = await deliverTo(shardEnv, refundEvent(pi, 299));
    expect(refund.status).toBe(200);
    expect(await purchaseIn(B(), row.id)).toMatchObject({ status: 'refunded', transfer_reversed: 249 });
    await expectInvariants(B());
  });

  it('a payment made before the creator travelled in the metadata is found where those were recorded', async () => {
    // A creator on the directory's database, paid through a session that names no creator (made by an earlier
    // release), while another creator is pinned elsewhere: the completion, its refund and dispute still land.
    const seller = await stripeSeller();
    const buyer = await signup();
    const co = await countedCall('POST', '/v1/checkout', {
      token: buyer.token,
      body: { episodeId: seller.ep.id },
      headers: { 'Idempotency-Key': idemKey() },
      env: stripeEnv(),
    });
    expect(co.status).toBe(201);
    const shardEnv = pinnedTo(stripeEnv(), 'cr_somebodyelse0000000000');
    const pi = stripeId('pi');
    const legacySession = {
      id: stripeId('cs'),
      object: 'checkout.session',
      payment_status: 'paid',
      payment_intent: pi,
      client_reference_id: co.json.purchaseId,
      metadata: { purchase_id: co.json.purchaseId },
    };
    expect((await deliverTo(shardEnv, event('checkout.session.completed', legacySession))).status).toBe(200);
    expect((await purchaseIn(env.DB, co.json.purchaseId))?.status).toBe('paid');
    expect((await deliverTo(shardEnv, refundEvent(pi, 199))).status).toBe(200);
    const after = (await purchaseIn(env.DB, co.json.purchaseId))!;
    expect(after).toMatchObject({ status: 'refunded', refunded_amount: 199 });
    // Recorded under the sale's creator, found by the payment (the migration fills older rows the same way).
    expect(
      await env.DB.prepare('SELECT creator_id FROM payment_refunds WHERE payment_ref = ?').bind(pi).first(),
    ).toEqual({ creator_id: after.creator_id });
    await expectInvariants();
  });

  it('deleting an account anonymises its purchases in every shard; one a shard missed, the cron finishes', async () => {
    const { series, ep2 } = await publishedSeries();
    const creatorId = await creatorOf(series.id);
    const buyer = await signup();
    await copyToShard(creatorId, [buyer.user.id]);
    const shardEnv = pinnedTo(env, creatorId);
    const co = await countedCall('POST', '/v1/checkout', {
      token: buyer.token,
      body: { episodeId: ep2.id },
      headers: { 'Idempotency-Key': idemKey() },
      env: shardEnv,
    });
    const url = new URL(co.json.checkoutUrl);
    await countedCall('POST', `${url.pathname}/pay`, {
      raw: new URLSearchParams({ sig: url.searchParams.get('sig')!, c: creatorId }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      env: shardEnv,
    });
    // An unpaid checkout on the shard too, which goes with the account.
    const other = await countedCall('POST', '/v1/checkout', {
      token: buyer.token,
      body: { seriesId: series.id },
      headers: { 'Idempotency-Key': idemKey() },
      env: shardEnv,
    });
    expect(other.status).toBe(201);
    // The shard is unreachable while the account is deleted: the deletion stands, what is left is recorded.
    const unreachable = {
      ...shardEnv,
      LEDGER_B: new Proxy(B(), {
        get: (target, prop) =>
          prop === 'batch'
            ? () => Promise.reject(new Error('D1_ERROR: database unavailable'))
            : Reflect.get(target, prop, target),
      }),
    } as Env;
    const deleted = await countedCall('DELETE', '/v1/me', {
      token: buyer.token,
      body: { password: PASSWORD },
      env: unreachable,
    });
    expect(deleted.status, deleted.text).toBe(200);
    expect((await purchaseIn(B(), co.json.purchaseId))?.buyer_id).toBe(buyer.user.id);
    const erasure = () =>
      env.DB.prepare('SELECT attempts FROM account_erasures WHERE user_id = ?').bind(buyer.user.id).first();
    expect(await erasure()).toEqual({ attempts: 0 });

    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '0 * * * *' }), shardEnv);
    expect(await erasure()).toBeNull();
    expect(await purchaseIn(B(), co.json.purchaseId)).toMatchObject({ status: 'paid', buyer_id: null, owner_id: null });
    expect(await purchaseIn(B(), other.json.purchaseId)).toBeNull();
    const days = await B()
      .prepare('SELECT COUNT(*) AS n FROM buyer_days WHERE buyer_id = ?')
      .bind(buyer.user.id)
      .first();
    expect(days).toEqual({ n: 0 });
    // The sale still counts for its creator.
    expect(await salesOf(B(), creatorId)).toBe(1);
    await expectInvariants(B());
  });

  it('a refund is confined to the creator its event names: another creator’s sale with that payment is untouched', async () => {
    const { series, ep2 } = await publishedSeries();
    const buyer = await signup();
    const co = await startCheckout(buyer.token, { episodeId: ep2.id });
    expect((await submitCheckout(co.json.checkoutUrl)).status).toBe(303);
    const pi = `pi_test_${co.json.purchaseId}`;
    await env.DB.prepare('UPDATE purchases SET payment_ref = ? WHERE id = ?').bind(pi, co.json.purchaseId).run();
    const wrong = {
      ...refundEvent(pi, 199),
    };
    (wrong.data.object as Record<string, unknown>)['metadata'] = { creator_id: 'cr_notthiscreator00000000' };
    expect((await deliverTo(stripeEnv(), wrong)).status).toBe(200);
    expect(await purchaseIn(env.DB, co.json.purchaseId)).toMatchObject({ status: 'paid', refunded_amount: 0 });
    // The same refund naming the sale's own creator applies.
    const right = refundEvent(pi, 199);
    (right.data.object as Record<string, unknown>)['metadata'] = { creator_id: await creatorOf(series.id) };
    expect((await deliverTo(stripeEnv(), right)).status).toBe(200);
    expect(await purchaseIn(env.DB, co.json.purchaseId)).toMatchObject({ status: 'refunded', refunded_amount: 199 });
    await expectInvariants();
  });
});
