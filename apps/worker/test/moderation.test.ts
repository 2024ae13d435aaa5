// Review before going live (issue 21): the admins' setting (off by default, audited), publishing and adding episodes
// to a live series submit them, the queue with playable videos and prices, approve or reject with a reason, edits of
// a live series held for review while the approved version stays live; takedowns.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addEpisode,
  admin,
  buy,
  call,
  createSeries,
  creator,
  expectError,
  expectInvalid,
  installVideo,
  mineOne,
  publishedSeries,
  signup,
  startCheckout,
} from './helpers';
import { waitForMail } from './mail-helpers';
import { uploadCover } from './images-helpers';

const setReviews = async (on: boolean) => {
  const res = await call('PUT', '/v1/admin/settings/review', { token: await admin(), body: { reviewRequired: on } });
  expect(res.status, res.text).toBe(200);
  expect(res.json.reviewRequired).toBe(on);
};

afterEach(() => setReviews(false));

const auditActions = async (target: string) =>
  (
    await env.DB.prepare('SELECT action FROM audit_log WHERE target = ? ORDER BY created_at, rowid')
      .bind(target)
      .all<{ action: string }>()
  ).results.map((r) => r.action);

/** A draft series ready to publish (an approved creator, a free trailer and a premium episode with its video). */
async function draft() {
  const owner = await creator('approved');
  const series = await createSeries(owner.token, { bundlePrice: 499 });
  await addEpisode(owner.token, series.id, { title: 'Trailer', price: null, durationSeconds: 60 });
  const ep = await addEpisode(owner.token, series.id, { title: 'Part 2', price: 199 });
  await installVideo(owner.token, ep.id);
  return { owner, series, ep };
}

const queueItem = async (seriesId: string) => {
  const res = await call('GET', '/v1/admin/review-queue', { token: await admin() });
  expect(res.status, res.text).toBe(200);
  return (res.json.items as any[]).find((i) => i.series.id === seriesId);
};

describe('review before going live: the setting', () => {
  it('is off by default (publishing goes live at once), admins only, and each change is audited once', async () => {
    const setting = await call('GET', '/v1/admin/settings/review', { token: await admin() });
    expect(setting.json).toMatchObject({ reviewRequired: false });
    const { owner, series } = await draft();
    const pub = await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token });
    expect(pub.status).toBe(200);
    expect(pub.json.series).toMatchObject({ status: 'published', review: null });
    const viewer = await signup();
    expectError(
      await call('PUT', '/v1/admin/settings/review', { token: viewer.token, body: { reviewRequired: true } }),
      403,
      'forbidden',
    );
    expectInvalid(
      await call('PUT', '/v1/admin/settings/review', { token: await admin(), body: { reviewRequired: 1 } }),
    );
    const before = (await auditActions('review_required')).length;
    await setReviews(true);
    await setReviews(true);
    await setReviews(false);
    expect((await auditActions('review_required')).slice(before)).toEqual([
      'platform.review_required',
      'platform.review_required',
    ]);
  });
});

describe('review before going live: a new series', () => {
  it('publishing submits it (202); the queue shows it with prices and videos the admin can play; reject with a reason, then approve', async () => {
    await setReviews(true);
    const { owner, series, ep } = await draft();
    const pub = await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token });
    expect(pub.status, pub.text).toBe(202);
    expect(pub.json.series).toMatchObject({ status: 'draft', review: { state: 'pending', reason: null } });
    expectError(await call('GET', `/v1/series/${series.id}`), 404, 'not_found');

    const item = await queueItem(series.id);
    expect(item).toMatchObject({
      asks: ['series'],
      series: {
        id: series.id,
        title: 'My Series',
        bundlePrice: 499,
        currency: 'USD',
        creator: { handle: owner.handle },
      },
    });
    expect(item.episodes.map((e: any) => [e.title, e.price, e.hasVideo])).toEqual([
      ['Trailer', null, false],
      ['Part 2', 199, true],
    ]);
    const video = item.episodes[1].playbackUrl as string;
    const played = await call('GET', new URL(video).pathname + new URL(video).search, { token: await admin() });
    expect(played.status).toBe(200);
    expect(played.headers.get('Content-Type')).toMatch(/^video\//);
    // Nobody else can use the admin's grant.
    const viewer = await signup();
    const stolen = await call('GET', new URL(video).pathname + new URL(video).search, { token: viewer.token });
    expectError(stolen, 403, 'invalid_grant');

    const path = `/v1/admin/review-queue/series/${series.id}`;
    expectInvalid(await call('POST', `${path}/reject`, { token: await admin(), body: {} }));
    expectError(await call('POST', `${path}/approve`, { token: owner.token }), 403, 'forbidden');
    const rejected = await call('POST', `${path}/reject`, {
      token: await admin(),
      body: { reason: 'The cover shows a phone number.' },
    });
    expect(rejected.status, rejected.text).toBe(200);
    expect((await mineOne(owner.token, series.id)).review).toMatchObject({
      state: 'rejected',
      reason: 'The cover shows a phone number.',
    });
    expect(await queueItem(series.id)).toBeUndefined();
    // The creator is told, with the reason.
    const told = await waitForMail(owner.email, /was not approved/);
    expect(told.text_body).toContain('Why: The cover shows a phone number.');
    expectError(await call('POST', `${path}/approve`, { token: await admin() }), 409, 'not_pending');

    // Fixed and submitted again, then approved: it goes live.
    await call('PATCH', `/v1/series/${series.id}`, { token: owner.token, body: { description: 'No numbers now.' } });
    expect((await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token })).status).toBe(202);
    const approved = await call('POST', `${path}/approve`, { token: await admin() });
    expect(approved.json).toMatchObject({ status: 'published', review: 'approved' });
    expect((await call('GET', `/v1/series/${series.id}`)).status).toBe(200);
    expect(await auditActions(series.id)).toEqual(['series.review_reject', 'series.review_approve']);
    // Unpublished and published again as it stands: no new review.
    await call('POST', `/v1/series/${series.id}/unpublish`, { token: owner.token });
    expect((await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token })).status).toBe(200);
  });
});

describe('review before going live: a live series', () => {
  it('an edit of the title, description or cover waits for review while the approved version stays live', async () => {
    const { owner, series } = await publishedSeries();
    await setReviews(true);
    const edit = await call('PATCH', `/v1/series/${series.id}`, {
      token: owner.token,
      body: { title: 'Brand New Title', description: 'New words', bundlePrice: 599 },
    });
    expect(edit.status, edit.text).toBe(200);
    expect(edit.json.series).toMatchObject({
      title: 'My Series',
      bundlePrice: 599,
      revision: { state: 'pending', title: 'Brand New Title', description: 'New words', coverChanged: false },
    });
    const live = (await call('GET', `/v1/series/${series.id}`)).json.series;
    expect(live).toMatchObject({ title: 'My Series', bundlePrice: 599 });
    expect((await call('GET', `/@${owner.handle}/${series.slug}`)).text).toContain('My Series');
    expect((await queueItem(series.id)).asks).toEqual(['revision']);

    const path = `/v1/admin/review-queue/revisions/${series.id}`;
    await call('POST', `${path}/reject`, { token: await admin(), body: { reason: 'Misleading title' } });
    expect((await mineOne(owner.token, series.id)).revision).toMatchObject({
      state: 'rejected',
      reason: 'Misleading title',
    });
    expect((await call('GET', `/v1/series/${series.id}`)).json.series.title).toBe('My Series');

    await call('PATCH', `/v1/series/${series.id}`, { token: owner.token, body: { title: 'A Better Title' } });
    const approved = await call('POST', `${path}/approve`, { token: await admin() });
    expect(approved.status, approved.text).toBe(200);
    const now = (await call('GET', `/v1/series/${series.id}`)).json.series;
    // The rejected edit's description never went live; only what was approved.
    expect(now).toMatchObject({ title: 'A Better Title', slug: 'a-better-title', description: '' });
    const mine = await mineOne(owner.token, series.id);
    expect(mine.revision).toBeNull();
    expect((await call('GET', `/@${owner.handle}/a-better-title`)).status).toBe(200);
  });

  it('an uploaded cover of a live series waits for review too; approved, it goes live with its small copy', async () => {
    const { owner, series } = await publishedSeries();
    await setReviews(true);
    const up = await uploadCover(owner.token, series.id);
    expect(up.status, up.text).toBe(202);
    expect(up.json.review).toBe('pending');
    const live = (await call('GET', `/v1/series/${series.id}`)).json.series;
    expect(live).toMatchObject({ coverUrl: null, coverThumb: null });
    expect((await mineOne(owner.token, series.id)).revision).toMatchObject({ state: 'pending', coverChanged: true });
    const held = (await queueItem(series.id)).series.revision.coverUrl as string;
    expect(held).toBe(up.json.cover.url);
    // A second upload replaces the first one waiting (whose image goes).
    const second = await uploadCover(owner.token, series.id);
    expect(second.status).toBe(202);
    expect((await call('GET', new URL(held).pathname)).status).toBe(404);
    const approved = await call('POST', `/v1/admin/review-queue/revisions/${series.id}/approve`, {
      token: await admin(),
    });
    expect(approved.status, approved.text).toBe(200);
    const now = (await call('GET', `/v1/series/${series.id}`)).json.series;
    expect(now.coverUrl).toBe(second.json.cover.url);
    expect(now.coverThumb).toMatch(/^data:image\/webp;base64,/);
    expect((await call('GET', new URL(now.coverUrl).pathname)).status).toBe(200);
  });

  it('an episode added to a live series is not sold or played until approved', async () => {
    const { owner, series } = await publishedSeries();
    const bundleBuyer = await signup();
    await buy(bundleBuyer.token, { seriesId: series.id });
    await setReviews(true);
    const added = await addEpisode(owner.token, series.id, { title: 'Part 4', price: 149 });
    await installVideo(owner.token, added.id);
    const own = (await mineOne(owner.token, series.id)).episodes.find((e: any) => e.id === added.id);
    expect(own).toMatchObject({ review: { state: 'pending', reason: null }, hasVideo: true });
    const shown = (await call('GET', `/v1/series/${series.id}`)).json.series.episodes.find(
      (e: any) => e.id === added.id,
    );
    expect(shown).toMatchObject({ hasVideo: false, thumbnailUrl: null });
    const buyer = await signup();
    expectError(await startCheckout(buyer.token, { episodeId: added.id }), 409, 'episode_not_ready');
    expectError(
      await call('GET', `/v1/episodes/${added.id}/access`, { token: bundleBuyer.token }),
      403,
      'episode_in_review',
    );
    expect((await call('GET', `/v1/episodes/${added.id}/access`, { token: owner.token })).status).toBe(200);
    expect((await queueItem(series.id)).asks).toEqual(['episodes']);

    const approve = await call('POST', `/v1/admin/review-queue/episodes/${added.id}/approve`, { token: await admin() });
    expect(approve.status, approve.text).toBe(200);
    expect((await call('GET', `/v1/episodes/${added.id}/access`, { token: bundleBuyer.token })).status).toBe(200);
    expect((await startCheckout(buyer.token, { episodeId: added.id })).status).toBe(201);
    expect(await auditActions(added.id)).toEqual(['episode.review_approve']);
  });
});

describe('takedowns', () => {
  it('takes a series off sale for good with a reason its creator sees; buyers keep access; audited', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const buyer = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    const path = `/v1/admin/series/${series.id}/takedown`;
    expectInvalid(await call('POST', path, { token: await admin(), body: { reason: '' } }));
    expectError(await call('POST', path, { token: owner.token, body: { reason: 'x' } }), 403, 'forbidden');
    const down = await call('POST', path, { token: await admin(), body: { reason: 'Stolen content (report 12)' } });
    expect(down.status, down.text).toBe(200);
    expectError(
      await call('POST', path, { token: await admin(), body: { reason: 'again' } }),
      409,
      'already_taken_down',
    );
    expectError(await call('GET', `/v1/series/${series.id}`), 404, 'not_found');
    expect((await call('GET', `/v1/episodes/${ep2.id}/access`, { token: buyer.token })).status).toBe(200);
    expectError(await startCheckout((await signup()).token, { episodeId: ep2.id }), 404, 'not_found');
    expect((await mineOne(owner.token, series.id)).takenDown).toMatchObject({ reason: 'Stolen content (report 12)' });
    expectError(
      await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token }),
      409,
      'series_taken_down',
    );
    expect(await auditActions(series.id)).toEqual(['series.takedown']);
    const told = await waitForMail(owner.email, /was taken down/);
    expect(told.text_body).toContain('Why: Stolen content (report 12)');
    expect(told.text_body).toContain('Its buyers keep what they bought.');
  });
});
