import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  addEpisode,
  admin,
  buy,
  call,
  createSeries,
  creator,
  expectError,
  publishedSeries,
  signup,
  uniqueHandle,
} from './helpers';
import { runCron } from './cron-helpers';
import { expectInvariants } from './invariants';

const DAY = 24 * 60 * 60 * 1000;

const claim = (token: string, handle: string) =>
  call('POST', '/v1/creators', { token, body: { handle, displayName: 'Claimant' } });
const me = async (token: string) => (await call('GET', '/v1/me', { token })).json;
const auditEntries = async () =>
  (await call('GET', '/v1/admin/audit', { token: await admin() })).json.entries as {
    action: string;
    target: string | null;
    actor: string | null;
    detail: Record<string, unknown>;
  }[];
/** Moves a creator's claim back in time, as if it had been made `days` ago. */
const ageClaim = (handle: string, days: number) =>
  env.DB.prepare('UPDATE creators SET status_changed_at = ?, created_at = ? WHERE handle = ?')
    .bind(Date.now() - days * DAY, Date.now() - days * DAY, handle)
    .run();

describe('POST /v1/admin/creators/:handle/reject', () => {
  it('frees a pending handle for its real owner; the squatter keeps their drafts but not that handle', async () => {
    const squatter = await creator('pending');
    const draft = await createSeries(squatter.token, { title: 'Prepared' });
    const rejected = await call('POST', `/v1/admin/creators/${squatter.handle}/reject`, { token: await admin() });
    expect(rejected.status).toBe(200);
    expect(rejected.json.creator).toMatchObject({ handle: squatter.handle, status: 'rejected' });

    // The squatter is told, is no creator any more, and cannot take the handle back.
    const view = await me(squatter.token);
    expect(view.creator).toBeNull();
    expect(view.endedClaim).toMatchObject({ handle: squatter.handle, status: 'rejected' });
    expect(view.endedClaim.statusMeaning).toMatch(/^Rejected/);
    expectError(await call('GET', '/v1/me/series', { token: squatter.token }), 403, 'creator_required');
    expectError(await claim(squatter.token, squatter.handle), 409, 'claim_rejected');

    // The real owner claims it.
    const owner = await signup();
    const owned = await claim(owner.token, squatter.handle);
    expect(owned.status).toBe(201);
    expect(owned.json.creator).toMatchObject({ handle: squatter.handle, status: 'pending' });

    // The squatter may claim another handle: the same profile, the drafts back.
    const other = uniqueHandle();
    const again = await claim(squatter.token, other);
    expect(again.status).toBe(201);
    expect(again.json.creator).toMatchObject({ handle: other, status: 'pending' });
    const series = await call('GET', '/v1/me/series', { token: squatter.token });
    expect(series.json.series.map((s: { id: string }) => s.id)).toEqual([draft.id]);
    expect((await me(squatter.token)).endedClaim).toBeNull();

    const entry = (await auditEntries()).find((e) => e.action === 'creator.reject' && e.target === squatter.handle);
    expect(entry).toMatchObject({ actor: 'admin@example.test' });
  });

  it('frees a suspended squatter too; its pages and lookups go at once', async () => {
    const { owner, series } = await publishedSeries();
    expect((await call('GET', `/v1/creators/${owner.handle}`)).status).toBe(200);
    await call('POST', `/v1/admin/creators/${owner.handle}/suspend`, { token: await admin() });
    const res = await call('POST', `/v1/admin/creators/${owner.handle}/reject`, { token: await admin() });
    expect(res.status).toBe(200);
    expect((await call('GET', `/v1/creators/${owner.handle}`)).status).toBe(404);
    expect((await call('GET', `/v1/series/${series.id}`)).status).toBe(404);
    expect((await claim((await signup()).token, owner.handle)).status).toBe(201);
  });

  it('an approved creator who never sold: rejected, off sale at once', async () => {
    const { owner, ep2 } = await publishedSeries();
    expect((await call('POST', `/v1/admin/creators/${owner.handle}/reject`, { token: await admin() })).status).toBe(
      200,
    );
    const viewer = await signup();
    const checkout = await call('POST', '/v1/checkout', {
      token: viewer.token,
      body: { episodeId: ep2.id },
      headers: { 'Idempotency-Key': crypto.randomUUID() },
    });
    expect(checkout.status).toBe(404);
  });

  it('refuses a creator with sales (409, the handle stays), unknown handles (404) and non-admins (403)', async () => {
    const { owner, ep2 } = await publishedSeries();
    await buy((await signup()).token, { episodeId: ep2.id });
    expectError(
      await call('POST', `/v1/admin/creators/${owner.handle}/reject`, { token: await admin() }),
      409,
      'creator_has_sales',
    );
    expect((await me(owner.token)).creator).toMatchObject({ handle: owner.handle, status: 'approved' });
    expectError(await claim((await signup()).token, owner.handle), 409, 'handle_taken');
    expectError(
      await call('POST', `/v1/admin/creators/${uniqueHandle()}/reject`, { token: await admin() }),
      404,
      'not_found',
    );
    const pending = await creator('pending');
    expectError(
      await call('POST', `/v1/admin/creators/${pending.handle}/reject`, { token: pending.token }),
      403,
      'forbidden',
    );
    // Rejected once, the handle names no creator: a second rejection is a 404, and no second audit row.
    await call('POST', `/v1/admin/creators/${pending.handle}/reject`, { token: await admin() });
    expectError(
      await call('POST', `/v1/admin/creators/${pending.handle}/reject`, { token: await admin() }),
      404,
      'not_found',
    );
    const rows = (await auditEntries()).filter((e) => e.action === 'creator.reject' && e.target === pending.handle);
    expect(rows).toHaveLength(1);
    expect((await auditEntries()).some((e) => e.action === 'creator.reject' && e.target === owner.handle)).toBe(false);
    await expectInvariants();
  });

  it("an ended claim from before stored handle hashes is left out of the lookups' backfill", async () => {
    const old = await creator('pending');
    await env.DB.prepare('UPDATE creators SET handle_hash = NULL WHERE handle = ?').bind(old.handle).run();
    await call('POST', `/v1/admin/creators/${old.handle}/reject`, { token: await admin() });
    expect((await call('GET', '/v1/lookup/creators/0a1b')).status).toBe(200);
    // No handle, nothing to hash (never the hash of "null").
    const row = await env.DB.prepare('SELECT handle, handle_hash FROM creators WHERE released_handle = ?')
      .bind(old.handle)
      .first();
    expect(row).toEqual({ handle: null, handle_hash: null });
  });

  it('lists ended claims for admins under their status', async () => {
    const pending = await creator('pending');
    await call('POST', `/v1/admin/creators/${pending.handle}/reject`, { token: await admin() });
    const list = await call('GET', '/v1/admin/creators?status=rejected', { token: await admin() });
    expect(list.status).toBe(200);
    expect(list.json.creators.find((c: { handle: string }) => c.handle === pending.handle)).toMatchObject({
      status: 'rejected',
    });
    const live = await call('GET', '/v1/admin/creators?status=pending', { token: await admin() });
    expect(live.json.creators.some((c: { handle: string }) => c.handle === pending.handle)).toBe(false);
  });
});

describe('claims not approved within 30 days expire (Cron Trigger)', () => {
  it('expires a 30-day-old pending claim, keeps younger ones and every approved one; audited', async () => {
    const old = await creator('pending');
    const young = await creator('pending');
    const approved = await creator('approved');
    const draft = await createSeries(old.token);
    await addEpisode(old.token, draft.id);
    await ageClaim(old.handle, 30);
    await ageClaim(young.handle, 29);
    await ageClaim(approved.handle, 400);

    await runCron();

    const view = await me(old.token);
    expect(view.creator).toBeNull();
    expect(view.endedClaim).toMatchObject({ handle: old.handle, status: 'expired' });
    expect(view.endedClaim.statusMeaning).toMatch(/^Expired.*30 days/);
    expect((await me(young.token)).creator).toMatchObject({ status: 'pending' });
    expect((await me(approved.token)).creator).toMatchObject({ status: 'approved' });
    const entry = (await auditEntries()).find((e) => e.action === 'creator.expire' && e.target === old.handle);
    expect(entry).toMatchObject({ actor: null, detail: { reason: 'not approved within 30 days' } });

    // Running again changes nothing and audits nothing more.
    await runCron();
    expect((await auditEntries()).filter((e) => e.target === old.handle)).toHaveLength(1);

    // The handle is free, and the account may claim it again: the drafts come back, and a new 30 days start.
    const reclaimed = await claim(old.token, old.handle);
    expect(reclaimed.status).toBe(201);
    expect(reclaimed.json.creator).toMatchObject({ handle: old.handle, status: 'pending' });
    expect((await call('GET', `/v1/me/series/${draft.id}`, { token: old.token })).status).toBe(200);
    await runCron();
    expect((await me(old.token)).creator).toMatchObject({ status: 'pending' });
    await expectInvariants();
  });

  it('a claim that expired can be taken by someone else, and the first account then claims another', async () => {
    const first = await creator('pending');
    await ageClaim(first.handle, 31);
    await runCron();
    const second = await signup();
    expect((await claim(second.token, first.handle)).status).toBe(201);
    expectError(await claim(first.token, first.handle), 409, 'handle_taken');
    const another = uniqueHandle();
    expect((await claim(first.token, another)).json.creator).toMatchObject({ handle: another, status: 'pending' });
    // A live claim cannot be swapped for another handle.
    expectError(await claim(first.token, uniqueHandle()), 409, 'already_creator');
  });
});
