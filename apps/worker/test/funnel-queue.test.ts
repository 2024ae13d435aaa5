// The VIEWS queue: view reports are queued by the request and counted by the consumer, each message once however
// often it is delivered, a burst in a few D1 batches (funnel/view-queue.ts, funnel/queries.ts applyViews).
import { createMessageBatch } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import app from '../src/index';
import { VIEW_MESSAGE_DAYS, VIEWS_QUEUE, type ViewMessage } from '../src/funnel/view-queue';
import { call, publishedSeries } from './helpers';
import { runCron } from './cron-helpers';
import { deliverViews, drainViews, queuedViews, reportPage, reportViews } from './views-helpers';

const DAY = 86_400_000;
const count = async (sql: string, ...params: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>())!.n;
const episodeViews = (episodeId: string) =>
  count('SELECT COALESCE(SUM(views), 0) AS n FROM funnel_daily WHERE episode_id = ?', episodeId);
const pageViews = (seriesId: string) =>
  count('SELECT COALESCE(SUM(views), 0) AS n FROM source_daily WHERE series_id = ?', seriesId);
const taken = () => queuedViews.splice(0);

/** env.DB, counting what reaches the database: batches, and statements prepared (each must run in a batch). */
function countingDb() {
  const seen = { batches: 0, batched: 0, prepared: 0 };
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'batch')
        return (statements: D1PreparedStatement[]) => {
          seen.batches++;
          seen.batched += statements.length;
          return target.batch(statements);
        };
      if (prop === 'prepare')
        return (sql: string) => {
          seen.prepared++;
          return target.prepare(sql);
        };
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db, seen };
}

describe('the VIEWS queue', () => {
  it('a report writes nothing to D1: it queues one message, counted when the consumer runs', async () => {
    const { series, ep2, ep3, owner } = await publishedSeries();
    const marks = () => count('SELECT COUNT(*) AS n FROM view_marks');
    const before = await marks();
    expect((await reportViews([ep2.id, ep3.id])).json).toEqual({ accepted: 2 });
    expect((await reportPage({ handle: owner.handle, seriesId: series.id, source: 'bio' })).json).toEqual({
      accepted: 1,
    });
    expect([await episodeViews(ep2.id), await pageViews(series.id), await marks()]).toEqual([0, 0, before]);
    const [episodes, page] = queuedViews as [ViewMessage, ViewMessage];
    const today = new Date().toISOString().slice(0, 10);
    expect(episodes).toMatchObject({
      v: 1,
      kind: 'episodes',
      day: today,
      views: [
        [ep2.id, expect.any(String)],
        [ep3.id, expect.any(String)],
      ],
    });
    expect(page).toMatchObject({
      v: 1,
      kind: 'page',
      day: today,
      handle: owner.handle,
      seriesId: series.id,
      source: 'bio',
    });
    expect(episodes.id).not.toBe(page.id);
    await drainViews();
    expect([await episodeViews(ep2.id), await episodeViews(ep3.id), await pageViews(series.id)]).toEqual([1, 1, 1]);
    expect(await marks()).toBe(before + 3);
  });

  it('a message delivered twice counts once: in the same delivery, in a later one, after its marks are gone', async () => {
    const { series, ep2, owner } = await publishedSeries();
    await reportViews([ep2.id]);
    await reportPage({ handle: owner.handle, seriesId: series.id });
    const messages = taken();
    const twice = await deliverViews([...messages, ...messages]);
    expect(twice.explicitAcks).toHaveLength(4);
    expect(twice.retryMessages).toEqual([]);
    expect([await episodeViews(ep2.id), await pageViews(series.id)]).toEqual([1, 1]);
    await deliverViews(messages, { attempts: 2 });
    expect([await episodeViews(ep2.id), await pageViews(series.id)]).toEqual([1, 1]);
    // The next day the hourly job deletes the day's marks; the queue may still deliver the message (its
    // acknowledgement lost): its id is remembered, so it moves nothing.
    await runCron(Date.now() + DAY);
    for (const m of messages) {
      expect(await count('SELECT COUNT(*) AS n FROM view_marks WHERE day = ?', m.day)).toBe(0);
    }
    await deliverViews(messages, { attempts: 3 });
    expect([await episodeViews(ep2.id), await pageViews(series.id)]).toEqual([1, 1]);
    // Ids are kept as long as the queue may deliver a message, then deleted by the same job.
    const ids = messages.map((m) => m.id);
    const kept = () =>
      count(`SELECT COUNT(*) AS n FROM view_messages WHERE id IN (${ids.map(() => '?').join()})`, ...ids);
    await runCron(Date.now() + VIEW_MESSAGE_DAYS * DAY);
    expect(await kept()).toBe(2);
    await runCron(Date.now() + (VIEW_MESSAGE_DAYS + 1) * DAY);
    expect(await kept()).toBe(0);
  });

  it('a delivery D1 refuses is retried whole, nothing written; delivered again it counts once', async () => {
    const { ep2, ep3 } = await publishedSeries();
    await reportViews([ep2.id, ep3.id]);
    await reportViews([ep2.id]);
    const messages = taken();
    const failing = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === 'batch') return async () => Promise.reject(new Error('D1_ERROR: database unavailable'));
        const value = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const refused = await deliverViews(messages, { db: failing });
    expect(refused.retryMessages).toHaveLength(2);
    expect(refused.explicitAcks).toEqual([]);
    expect([await episodeViews(ep2.id), await episodeViews(ep3.id)]).toEqual([0, 0]);
    // The growing delay: 10 s doubling per attempt, an hour at most.
    const delays: [attempts: number, delaySeconds: number][] = [
      [1, 10],
      [4, 80],
      [12, 3600],
    ];
    for (const [attempts, delaySeconds] of delays) {
      const batch = createMessageBatch(VIEWS_QUEUE, [{ id: 'r', timestamp: new Date(), attempts, body: messages[0] }]);
      const retry = vi.spyOn(batch.messages[0]!, 'retry');
      await app.queue(batch, { ...env, DB: failing });
      expect(retry).toHaveBeenCalledWith({ delaySeconds });
    }
    await deliverViews(messages, { attempts: 5 });
    await deliverViews(messages, { attempts: 6 });
    expect([await episodeViews(ep2.id), await episodeViews(ep3.id)]).toEqual([2, 1]);
  });

  it('two consumers running the same messages at once count them once', async () => {
    const { series, ep2, ep3, owner } = await publishedSeries();
    for (let i = 0; i < 20; i++) await reportViews([ep2.id, ep3.id], `198.51.100.${i}`);
    await reportPage({ handle: owner.handle, seriesId: series.id, source: 'bio' });
    const messages = taken();
    // The queue may hand a message to a second invocation while the first still runs (a retry after a timeout).
    const results = await Promise.all([
      deliverViews(messages),
      deliverViews([...messages].reverse(), { attempts: 2 }),
      deliverViews(messages.slice(5), { attempts: 2 }),
    ]);
    for (const r of results) expect(r.retryMessages).toEqual([]);
    expect([await episodeViews(ep2.id), await episodeViews(ep3.id), await pageViews(series.id)]).toEqual([20, 20, 1]);
  });

  it('a burst of reports becomes one D1 batch per delivery of 100, the counts exact', async () => {
    const { series, ep2, ep3, owner } = await publishedSeries();
    for (let i = 0; i < 250; i++) {
      await reportViews(i % 5 === 0 ? [ep2.id, ep3.id] : [ep2.id], `198.51.${Math.floor(i / 200)}.${i % 200}`);
    }
    for (let i = 0; i < 30; i++) await reportPage({ handle: owner.handle, seriesId: series.id, source: 'bio' });
    const messages = taken();
    const { db, seen } = countingDb();
    for (let at = 0; at < messages.length; at += 100) {
      expect((await deliverViews(messages.slice(at, at + 100), { db })).retryMessages).toEqual([]);
    }
    // 280 reports, 3 deliveries: 3 round trips, every statement inside them.
    expect(seen).toEqual({ batches: 3, batched: 15, prepared: 15 });
    expect([await episodeViews(ep2.id), await episodeViews(ep3.id), await pageViews(series.id)]).toEqual([250, 50, 30]);
  });

  it('the real queue of wrangler.jsonc counts reports by itself, and the handler picks the consumer by queue', async () => {
    const { ep2 } = await publishedSeries();
    expect((await call('POST', '/v1/views', { body: { episodeIds: [ep2.id] } })).status).toBe(202);
    await vi.waitFor(async () => expect(await episodeViews(ep2.id)).toBe(1), { timeout: 15_000, interval: 100 });
    const stray = createMessageBatch('some-other-queue', [{ id: 'm1', timestamp: new Date(), attempts: 1, body: {} }]);
    await expect(app.queue(stray, env)).rejects.toThrow('no consumer for queue some-other-queue');
  });

  it('a message the consumer cannot read is dropped, and the rest of its delivery counts', async () => {
    const { ep2 } = await publishedSeries();
    await reportViews([ep2.id]);
    const [good] = taken() as [ViewMessage];
    const bad = [{ v: 2, id: 'x', day: good.day }, { ...good, id: 'y', views: [[ep2.id, null]] }, 'text'];
    const result = await deliverViews([...(bad as unknown as ViewMessage[]), good]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(4);
    expect(await episodeViews(ep2.id)).toBe(1);
  });
});
