// Viewers' reports (issue 21): a series, an episode or a review, a reason from the list and text, signed in, at most
// 10 a day per account; the admins' queue: dismiss, remove the review, or take the series down.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { admin, buy, call, expectError, expectInvalid, publishedSeries, signup } from './helpers';

const report = (token: string | null, body: unknown) => call('POST', '/v1/reports', { token, body });

describe('reports', () => {
  it('a signed-in viewer reports a series, an episode or a review (201); unknown targets 404; bad input 400', async () => {
    const { series, ep2 } = await publishedSeries();
    const buyer = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    const review = (await call('POST', `/v1/series/${series.id}/reviews`, { token: buyer.token, body: { stars: 1 } }))
      .json.review;
    const viewer = await signup();
    expectError(await report(null, { target: { kind: 'series', id: series.id }, reason: 'spam' }), 401, 'unauthorized');
    for (const target of [
      { kind: 'series', id: series.id },
      { kind: 'episode', id: ep2.id },
      { kind: 'review', id: review.id },
    ]) {
      const res = await report(viewer.token, { target, reason: 'misleading', text: 'Not what the trailer shows' });
      expect(res.status, res.text).toBe(201);
      expect(res.json.report).toMatchObject({ target, seriesId: series.id, reason: 'misleading', resolution: null });
    }
    expectError(
      await report(viewer.token, { target: { kind: 'episode', id: 'ep_0000000000000000none' }, reason: 'spam' }),
      404,
      'not_found',
    );
    for (const body of [
      { target: { kind: 'series', id: series.id }, reason: 'boring' },
      { target: { kind: 'user', id: series.id }, reason: 'spam' },
      { target: { kind: 'series', id: series.id }, reason: 'spam', text: 'x'.repeat(2001) },
      { target: { kind: 'series', id: series.id }, reason: 'spam', text: '<b>look</b>' },
      { target: { kind: 'series' }, reason: 'spam' },
    ]) {
      expectInvalid(await report(viewer.token, body));
    }
    const count = await env.DB.prepare('SELECT COUNT(*) AS n FROM reports WHERE series_id = ?').bind(series.id).first();
    expect(count).toEqual({ n: 3 });
  });

  it('at most 10 a day per account, concurrent ones included: the 11th is 429 with Retry-After', async () => {
    const { series } = await publishedSeries();
    const viewer = await signup();
    const body = { target: { kind: 'series', id: series.id }, reason: 'spam' };
    const answers = await Promise.all(Array.from({ length: 14 }, () => report(viewer.token, body)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(10);
    const refused = answers.filter((a) => a.status !== 201);
    for (const r of refused) expectError(r, 429, 'report_limit');
    const retry = Number(refused[0]!.headers.get('Retry-After'));
    expect(retry).toBeGreaterThan(86_000);
    expect(retry).toBeLessThanOrEqual(86_400);
    // Someone else still can.
    expect((await report((await signup()).token, body)).status).toBe(201);
  });

  it('admins see open reports with what they are about, dismiss them, remove a review, or take the series down', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const buyer = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    const review = (
      await call('POST', `/v1/series/${series.id}/reviews`, { token: buyer.token, body: { stars: 1, text: 'Scam!!' } })
    ).json.review;
    const viewer = await signup();
    const onReview = (await report(viewer.token, { target: { kind: 'review', id: review.id }, reason: 'hateful' })).json
      .report;
    const onSeries = (await report(viewer.token, { target: { kind: 'series', id: series.id }, reason: 'stolen' })).json
      .report;
    const onEpisode = (await report(viewer.token, { target: { kind: 'episode', id: ep2.id }, reason: 'other' })).json
      .report;
    expectError(await call('GET', '/v1/admin/reports', { token: viewer.token }), 403, 'forbidden');
    const open = (await call('GET', '/v1/admin/reports', { token: await admin() })).json.reports as any[];
    const mine = open.filter((r) => r.seriesId === series.id);
    expect(mine.map((r) => r.id)).toEqual([onReview.id, onSeries.id, onEpisode.id]);
    expect(mine[0]).toMatchObject({ review: { stars: 1, text: 'Scam!!', removed: false } });
    expect(mine[2]).toMatchObject({ episode: { title: 'Part 2' }, series: { title: 'My Series', live: true } });
    expect(JSON.stringify(mine)).not.toContain(viewer.user.id);

    const resolve = (id: string, body: unknown) =>
      call('POST', `/v1/admin/reports/${id}/resolve`, { token: admin_, body });
    const admin_ = await admin();
    expectError(await resolve(onSeries.id, { action: 'remove_review' }), 409, 'not_a_review');
    const removed = await resolve(onReview.id, { action: 'remove_review', note: 'Abusive' });
    expect(removed.json.report).toMatchObject({ resolution: 'review_removed' });
    expect((await call('GET', `/v1/series/${series.id}/reviews`)).json).toMatchObject({
      rating: { count: 0 },
      reviews: [],
    });
    expectError(await resolve(onReview.id, { action: 'dismiss' }), 404, 'not_found');
    expect((await resolve(onEpisode.id, { action: 'dismiss', note: 'Fine' })).json.report.resolution).toBe('dismissed');
    expectInvalid(await resolve(onSeries.id, { action: 'take_down' }));
    const down = await resolve(onSeries.id, { action: 'take_down', note: 'Re-uploaded someone else’s film' });
    expect(down.json.report.resolution).toBe('taken_down');
    expectError(await call('GET', `/v1/series/${series.id}`), 404, 'not_found');
    expect(
      (await call('GET', `/v1/me/series/${series.id}`, { token: owner.token })).json.series.takenDown,
    ).toMatchObject({
      reason: 'Re-uploaded someone else’s film',
    });
    const left = (await call('GET', '/v1/admin/reports', { token: admin_ })).json.reports as any[];
    expect(left.filter((r) => r.seriesId === series.id)).toEqual([]);
    const audit = await env.DB.prepare(
      `SELECT action FROM audit_log WHERE target IN (?, ?, ?) ORDER BY created_at, rowid`,
    )
      .bind(review.id, onEpisode.id, series.id)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(['review.remove', 'report.dismiss', 'series.takedown']);
  });
});

describe('reports on the storefront', () => {
  it('the series and episode pages carry Report buttons (the script shows them) and the dialog, in both languages', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const buyer = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    const review = (await call('POST', `/v1/series/${series.id}/reviews`, { token: buyer.token, body: { stars: 2 } }))
      .json.review;
    const page = (await call('GET', `/@${owner.handle}/${series.slug}`)).text;
    expect(page).toContain(`data-report-kind="series" data-report-id="${series.id}" hidden`);
    expect(page).toContain(`data-report-kind="review" data-report-id="${review.id}"`);
    expect(page).toContain('id="sf-report"');
    for (const reason of ['spam', 'misleading', 'stolen', 'sexual', 'violent', 'hateful', 'other'])
      expect(page).toContain(`value="${reason}"`);
    const episode = (await call('GET', `/@${owner.handle}/${series.slug}/2?lang=fr`)).text;
    expect(episode).toContain(`data-report-kind="episode" data-report-id="${ep2.id}"`);
    expect(episode).toContain('Signaler cet épisode');
    expect(episode).toContain('Quel est le problème\u202f?');
  });
});
