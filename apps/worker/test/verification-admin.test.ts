// Verified creators, part 2 (issue 16): the admin's verified facts and criteria, automatic approval above them,
// the bio-code fallback, and the setting that requires verification to sell.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import {
  admin,
  call,
  creator,
  expectError,
  expectInvalid,
  publishedSeries,
  signup,
  startCheckout,
  uniqueHandle,
} from './helpers';
import { connect, tiktokAccount } from './tiktok-helpers';
import { expectInvariants } from './invariants';

const db = () => env.DB;
const settings = async (body: Record<string, unknown>) =>
  call('PUT', '/v1/admin/verification', { token: await admin(), body });
const audits = async (action: string, target: string) =>
  (
    await db()
      .prepare('SELECT detail FROM audit_log WHERE action = ? AND target = ? ORDER BY created_at')
      .bind(action, target)
      .all<{ detail: string }>()
  ).results.map((r) => JSON.parse(r.detail));
const adminList = async (status = 'pending') =>
  (await call('GET', `/v1/admin/creators?status=${status}`, { token: await admin() })).json;

afterEach(async () => {
  // Every test starts from the defaults (the settings are one row for the whole platform).
  await db()
    .prepare(
      'UPDATE verification_settings SET min_followers = 10000, min_videos = 0, auto_approve = 0, require_verification = 0',
    )
    .run();
});

describe('the admin sees verified facts beside the criteria', () => {
  it("lists each creator's TikTok handle, followers, videos and badge, and whether they meet the criteria", async () => {
    const big = await tiktokAccount({ followers: 48_000, verified: true, videos: 4 });
    const small = await tiktokAccount({ followers: 830, videos: 2 });
    const a = await signup();
    const b = await signup();
    expect((await connect(a.token, big)).res.status).toBe(303);
    expect((await connect(b.token, small)).res.status).toBe(303);
    const typed = await creator('pending');

    const list = await adminList();
    expect(list.criteria).toEqual({
      minFollowers: 10_000,
      minVideos: 0,
      autoApprove: false,
      requireVerification: false,
    });
    const row = (handle: string) => list.creators.find((c: any) => c.handle === handle);
    expect(row(big.username)).toMatchObject({
      verifiedBy: 'tiktok',
      tiktok: { username: big.username, followerCount: 48_000, videoCount: 4, isVerified: true },
      meetsCriteria: true,
      bioCode: null,
    });
    expect(row(big.username).tiktok.checkedAt).toMatch(/^\d{4}-/);
    expect(row(small.username)).toMatchObject({
      tiktok: { followerCount: 830, videoCount: 2, isVerified: false },
      meetsCriteria: false,
    });
    // A typed claim has no facts: it never meets the criteria on its own.
    expect(row(typed.handle)).toMatchObject({
      verifiedBy: null,
      tiktok: null,
      meetsCriteria: false,
      email: typed.email,
    });

    // Raising the criteria changes who meets them.
    expect((await settings({ minFollowers: 50_000 })).status).toBe(200);
    expect((await adminList()).creators.find((c: any) => c.handle === big.username).meetsCriteria).toBe(false);
    expect((await settings({ minFollowers: 800, minVideos: 3 })).status).toBe(200);
    const after = (await adminList()).creators;
    expect(after.find((c: any) => c.handle === big.username).meetsCriteria).toBe(true);
    expect(after.find((c: any) => c.handle === small.username).meetsCriteria).toBe(false); // 2 videos < 3
  });
});

describe('the verification settings', () => {
  it('are read and changed by admins only, validated, and every real change is audited once', async () => {
    const { token } = await signup();
    expectError(await call('GET', '/v1/admin/verification', { token }), 403, 'forbidden');
    expectError(await call('PUT', '/v1/admin/verification', { token, body: { autoApprove: true } }), 403, 'forbidden');
    expectError(await call('GET', '/v1/admin/verification'), 401, 'unauthorized');

    const read = await call('GET', '/v1/admin/verification', { token: await admin() });
    expect(read.status).toBe(200);
    expect(read.json.settings).toMatchObject({ minFollowers: 10_000, minVideos: 0, autoApprove: false });

    expectInvalid(await settings({}));
    expectInvalid(await settings({ minFollowers: -1 }));
    expectInvalid(await settings({ minFollowers: 1.5 }));
    expectInvalid(await settings({ autoApprove: 'yes' }));
    expectInvalid(await settings({ surprise: true }));

    const before = (await audits('admin.verification_settings', 'verification')).length;
    const changed = await settings({ autoApprove: true, minFollowers: 25_000 });
    expect(changed.status).toBe(200);
    expect(changed.json.settings).toMatchObject({
      autoApprove: true,
      minFollowers: 25_000,
      requireVerification: false,
    });
    expect(changed.json.settings.updatedAt).toMatch(/^\d{4}-/);
    // The same values again change nothing, and leave no trace.
    expect((await settings({ autoApprove: true })).status).toBe(200);
    const trail = await audits('admin.verification_settings', 'verification');
    expect(trail.length).toBe(before + 1);
    expect(trail.at(-1)).toMatchObject({
      from: { autoApprove: false, minFollowers: 10_000 },
      to: { autoApprove: true, minFollowers: 25_000 },
    });
  });
});

describe('automatic approval above the criteria', () => {
  it('is off by default: a verified claim waits for the admin whatever its followers', async () => {
    const account = await tiktokAccount({ followers: 2_000_000 });
    const { token } = await signup();
    await connect(token, account);
    expect((await call('GET', '/v1/me', { token })).json.creator).toMatchObject({ status: 'pending' });
  });

  it('on, approves a verified claim that meets the criteria at once (audited with its facts), not one below them', async () => {
    expect((await settings({ autoApprove: true, minFollowers: 10_000, minVideos: 2 })).status).toBe(200);
    const big = await tiktokAccount({ followers: 10_000, videos: 2 });
    const fewVideos = await tiktokAccount({ followers: 90_000, videos: 1 });
    const small = await tiktokAccount({ followers: 9_999, videos: 5 });
    const a = await signup();
    const b = await signup();
    const c = await signup();
    await connect(a.token, big);
    await connect(b.token, fewVideos);
    await connect(c.token, small);
    expect((await call('GET', '/v1/me', { token: a.token })).json.creator).toMatchObject({ status: 'approved' });
    expect((await call('GET', '/v1/me', { token: b.token })).json.creator).toMatchObject({ status: 'pending' });
    expect((await call('GET', '/v1/me', { token: c.token })).json.creator).toMatchObject({ status: 'pending' });
    expect(await audits('creator.verify', big.username)).toEqual([
      { via: 'tiktok', status: 'approved', autoApproved: true, followers: 10_000, videos: 2 },
    ]);
    expect(await audits('creator.verify', small.username)).toEqual([{ via: 'tiktok', status: 'pending' }]);
  });

  it('never approves a typed claim, and needs the stats scope (no counts, no approval)', async () => {
    expect((await settings({ autoApprove: true, minFollowers: 0 })).status).toBe(200);
    const typed = await creator('pending');
    expect((await call('GET', '/v1/me', { token: typed.token })).json.creator).toMatchObject({ status: 'pending' });
    const account = await tiktokAccount({ followers: 50_000 });
    const { token } = await signup();
    await connect(token, account, { granted: ['user.info.profile', 'video.list'] });
    expect((await call('GET', '/v1/me', { token })).json.creator).toMatchObject({
      handle: account.username,
      status: 'pending',
    });
  });
});

describe('the bio-code fallback', () => {
  it('gives an unverified claim a one-time code; the admin who sees it confirms it: verified by bio code', async () => {
    const typed = await creator('pending');
    expect((await call('GET', '/v1/me/bio-code', { token: typed.token })).json).toEqual({ bioCode: null });
    const first = await call('POST', '/v1/me/bio-code', { token: typed.token });
    expect(first.status).toBe(201);
    expect(first.json.bioCode.code).toMatch(/^SERIES-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
    // A new code replaces the last one: the old one no longer confirms.
    const second = await call('POST', '/v1/me/bio-code', { token: typed.token });
    const code = second.json.bioCode.code as string;
    expect(code).not.toBe(first.json.bioCode.code);
    expect((await call('GET', '/v1/me/bio-code', { token: typed.token })).json.bioCode.code).toBe(code);
    expect(new Date(second.json.bioCode.expiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    // The admin sees the code to look for.
    const listed = (await adminList()).creators.find((c: any) => c.handle === typed.handle);
    expect(listed.bioCode).toMatchObject({ code });

    const path = `/v1/admin/creators/${typed.handle}/confirm-bio-code`;
    const token = await admin();
    expectError(await call('POST', path, { token: typed.token, body: { code } }), 403, 'forbidden');
    expectError(await call('POST', path, { token, body: { code: first.json.bioCode.code } }), 409, 'bio_code_mismatch');
    expectInvalid(await call('POST', path, { token, body: { code: 'hello' } }));
    expectError(
      await call('POST', `/v1/admin/creators/${uniqueHandle()}/confirm-bio-code`, { token, body: { code } }),
      404,
      'not_found',
    );
    expect((await call('GET', '/v1/me', { token: typed.token })).json.creator.verifiedBy).toBeNull();

    // Read off a profile in lower case, it still matches.
    const ok = await call('POST', path, { token, body: { code: code.toLowerCase() } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.creator).toMatchObject({ handle: typed.handle, verifiedBy: 'bio_code', status: 'pending' });
    expect(await audits('creator.verify', typed.handle)).toEqual([{ via: 'bio_code' }]);
    // The code is spent: confirming again, or asking for another, says the handle is verified.
    expectError(await call('POST', path, { token, body: { code } }), 409, 'already_verified');
    expectError(await call('POST', '/v1/me/bio-code', { token: typed.token }), 409, 'already_verified');
    expect((await call('GET', '/v1/me/bio-code', { token: typed.token })).json).toEqual({ bioCode: null });
  });

  it('lapses after 7 days', async () => {
    const typed = await creator('pending');
    const code = (await call('POST', '/v1/me/bio-code', { token: typed.token })).json.bioCode.code;
    await db()
      .prepare('UPDATE creators SET bio_code_at = bio_code_at - 7 * 86400000 - 1 WHERE handle = ?')
      .bind(typed.handle)
      .run();
    expect((await call('GET', '/v1/me/bio-code', { token: typed.token })).json).toEqual({ bioCode: null });
    expectError(
      await call('POST', `/v1/admin/creators/${typed.handle}/confirm-bio-code`, {
        token: await admin(),
        body: { code },
      }),
      409,
      'bio_code_mismatch',
    );
  });

  it('is for creators with an unverified claim only', async () => {
    const { token } = await signup();
    expectError(await call('POST', '/v1/me/bio-code', { token }), 403, 'creator_required');
    const account = await tiktokAccount();
    const verified = await signup();
    await connect(verified.token, account);
    expectError(await call('POST', '/v1/me/bio-code', { token: verified.token }), 409, 'already_verified');
  });

  it('protects the handle like TikTok does: a TikTok account of the same name cannot displace it', async () => {
    const typed = await creator('approved');
    const code = (await call('POST', '/v1/me/bio-code', { token: typed.token })).json.bioCode.code;
    await call('POST', `/v1/admin/creators/${typed.handle}/confirm-bio-code`, { token: await admin(), body: { code } });
    const squatter = await tiktokAccount({ username: typed.handle });
    const other = await signup();
    const { res } = await connect(other.token, squatter);
    expect(res.status).toBe(409);
    expect(res.text).toContain('data-code="tiktok_handle_verified_elsewhere"');
    expect((await call('GET', '/v1/me', { token: typed.token })).json.creator).toMatchObject({
      handle: typed.handle,
      status: 'approved',
      verifiedBy: 'bio_code',
    });
  });
});

describe('requiring verification to sell', () => {
  it('keeps creators from before verification selling until it is on; then only verified creators sell', async () => {
    const unverified = await publishedSeries();
    const proven = await publishedSeries();
    const code = (await call('POST', '/v1/me/bio-code', { token: proven.owner.token })).json.bioCode.code;
    await call('POST', `/v1/admin/creators/${proven.owner.handle}/confirm-bio-code`, {
      token: await admin(),
      body: { code },
    });
    const buyer = await signup();
    // Off (the default): the unverified creator sells; their public answers are cached now.
    expect((await call('GET', `/v1/series/${unverified.series.id}`)).status).toBe(200);
    expect((await call('GET', `/v1/creators/${unverified.owner.handle}`)).json.series).toHaveLength(1);
    const open = await startCheckout(buyer.token, { episodeId: unverified.ep2.id });
    expect(open.status).toBe(201);

    const on = await settings({ requireVerification: true });
    expect(on.status).toBe(200);
    expect(on.json.creatorsAffected).toBeGreaterThanOrEqual(1);
    // Off sale at once (the cached answers purged): not shown, not sold, not played to strangers.
    expectError(await call('GET', `/v1/series/${unverified.series.id}`), 404, 'not_found');
    expect((await call('GET', `/v1/creators/${unverified.owner.handle}`)).json.series).toEqual([]);
    expectError(await startCheckout(buyer.token, { episodeId: unverified.ep2.id }), 404, 'not_found');
    expect((await call('GET', `/@${unverified.owner.handle}/${unverified.series.slug}`)).status).toBe(404);
    // A checkout opened before cannot complete into a sale either.
    const paid = await call('POST', `${new URL(open.json.checkoutUrl).pathname}/pay`, {
      raw: new URLSearchParams({ sig: new URL(open.json.checkoutUrl).searchParams.get('sig')! }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(paid.status).not.toBe(500);
    const status = await db()
      .prepare('SELECT status FROM purchases WHERE id = ?')
      .bind(open.json.purchaseId)
      .first<{ status: string }>();
    expect(status?.status).not.toBe('paid');
    // The verified creator (bio code) sells on.
    expect((await call('GET', `/v1/series/${proven.series.id}`)).status).toBe(200);
    expect((await startCheckout(buyer.token, { episodeId: proven.ep2.id })).status).toBe(201);
    // The unverified creator still sees and edits their own series; the setting is audited.
    expect((await call('GET', `/v1/me/series/${unverified.series.id}`, { token: unverified.owner.token })).status).toBe(
      200,
    );
    expect((await audits('admin.verification_settings', 'verification')).at(-1)).toMatchObject({
      to: { requireVerification: true },
    });

    // Off again: they sell again.
    expect((await settings({ requireVerification: false })).status).toBe(200);
    expect((await call('GET', `/v1/series/${unverified.series.id}`)).status).toBe(200);
    expect((await startCheckout(buyer.token, { episodeId: unverified.ep2.id })).status).toBe(201);
    await expectInvariants();
  });

  it('lets a creator who connects TikTok sell again', async () => {
    const account = await tiktokAccount({ followers: 30_000 });
    const owner = await publishedSeries();
    await db()
      .prepare('UPDATE creators SET handle = ? WHERE handle = ?')
      .bind(account.username, owner.owner.handle)
      .run();
    expect((await settings({ requireVerification: true })).status).toBe(200);
    expectError(await call('GET', `/v1/series/${owner.series.id}`), 404, 'not_found');
    expect((await connect(owner.owner.token, account)).res.status).toBe(303);
    expect((await call('GET', `/v1/series/${owner.series.id}`)).status).toBe(200);
  });
});
