// Handles change (issue 16, part 3): a verified creator renamed on TikTok is picked up on their next connect or by
// the re-check they trigger; the old handle's links (API, storefront, the extension's lookups) lead to the new one
// until someone else verifies it. And the verified mark in the public answers and the storefront.
import { lookupHash } from '@series/core';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { admin, call, creator, expectError, publishedSeries, signup, uniqueHandle } from './helpers';
import { connect, failTikTok, renameAt, tiktokAccount } from './tiktok-helpers';

const db = () => env.DB;

/** An approved creator selling a published series, whose handle TikTok verified. */
async function verifiedShop() {
  const made = await publishedSeries();
  const account = await tiktokAccount({ username: made.owner.handle, followers: 40_000 });
  const { res } = await connect(made.owner.token, account);
  expect(res.status, res.text.slice(0, 200)).toBe(303);
  expect((await call('GET', '/v1/me', { token: made.owner.token })).json.creator).toMatchObject({
    handle: made.owner.handle,
    status: 'approved',
    verifiedBy: 'tiktok',
  });
  const slug = (await call('GET', `/v1/series/${made.series.id}`)).json.series.slug as string;
  return { ...made, account, slug };
}

const lookupOf = async (handle: string) => {
  const hash = await lookupHash(handle);
  const res = await call('GET', `/v1/lookup/creators/${hash.slice(0, 4)}`);
  expect(res.status).toBe(200);
  return (res.json.creators as any[]).find((c) => c.handleHash === hash) ?? null;
};

describe('a handle changed on TikTok', () => {
  it('is picked up by the re-check; the old handle redirects everywhere until someone else verifies it', async () => {
    const shop = await verifiedShop();
    const old = shop.owner.handle;
    const renamed = uniqueHandle('new');
    // Cached under the old handle before the rename.
    expect((await call('GET', `/v1/creators/${old}`)).status).toBe(200);
    expect((await lookupOf(old))?.handle).toBe(old);

    await renameAt(shop.account.open_id, renamed);
    const recheck = await call('POST', '/v1/me/tiktok/recheck', { token: shop.owner.token });
    expect(recheck.status, recheck.text).toBe(200);
    expect(recheck.json).toMatchObject({
      changed: 'renamed',
      handle: renamed,
      creator: { handle: renamed, verifiedBy: 'tiktok' },
    });
    const audit = await db()
      .prepare(`SELECT detail FROM audit_log WHERE action = 'creator.rename' AND target = ?`)
      .bind(renamed)
      .first<{ detail: string }>();
    expect(JSON.parse(audit!.detail)).toEqual({ from: old, via: 'tiktok' });

    // The API: the old handle leads to the new one (302: it may end), the new one answers, verified.
    const moved = await call('GET', `/v1/creators/${old}`);
    expect(moved.status).toBe(302);
    expect(moved.headers.get('Location')).toBe(`/v1/creators/${renamed}`);
    const now = await call('GET', `/v1/creators/${renamed}`);
    expect(now.json.creator).toEqual({ handle: renamed, displayName: expect.any(String), verified: 'tiktok' });
    expect(now.json.series).toHaveLength(1);
    // The storefront: the profile, the series and its episodes, keeping the query.
    for (const [from, to] of [
      [`/@${old}`, `/@${renamed}`],
      [`/@${old}/${shop.slug}?src=bio`, `/@${renamed}/${shop.slug}?src=bio`],
      [`/@${old}/${shop.slug}/2`, `/@${renamed}/${shop.slug}/2`],
    ]) {
      const page = await call('GET', from!);
      expect(page.status, from).toBe(302);
      expect(page.headers.get('Location')).toBe(to);
    }
    expect((await call('GET', `/@${renamed}/${shop.slug}`)).status).toBe(200);
    // The extension's lookups: the old handle's hash finds the creator under the new handle.
    expect(await lookupOf(old)).toMatchObject({ handle: renamed, formerHandle: old, verified: 'tiktok' });
    expect(await lookupOf(renamed)).toMatchObject({ handle: renamed, formerHandle: null, verified: 'tiktok' });
    // Nobody can claim the old handle by typing it meanwhile.
    const squatter = await signup();
    expectError(
      await call('POST', '/v1/creators', { token: squatter.token, body: { handle: old, displayName: 'Not them' } }),
      409,
      'handle_taken',
    );

    // Someone else verifies the old handle (TikTok gave it to them): the redirect ends, the handle is theirs.
    const heir = await tiktokAccount({ username: old });
    const heirAccount = await signup();
    expect((await connect(heirAccount.token, heir)).res.status).toBe(303);
    expect((await call('GET', '/v1/me', { token: heirAccount.token })).json.creator).toMatchObject({
      handle: old,
      verifiedBy: 'tiktok',
      status: 'pending',
    });
    expectError(await call('GET', `/v1/creators/${old}`), 404, 'not_found');
    expect((await call('GET', `/@${old}`)).status).toBe(404);
    expect(await lookupOf(old)).toBeNull();
    expect((await call('GET', `/v1/creators/${renamed}`)).status).toBe(200);
  });

  it('is picked up on the next connect too, and a rename back takes the old handle again', async () => {
    const shop = await verifiedShop();
    const old = shop.owner.handle;
    const renamed = uniqueHandle('re');
    await renameAt(shop.account.open_id, renamed);
    expect((await connect(shop.owner.token, shop.account)).res.status).toBe(303);
    expect((await call('GET', `/v1/creators/${old}`)).headers.get('Location')).toBe(`/v1/creators/${renamed}`);
    await renameAt(shop.account.open_id, old);
    const back = await call('POST', '/v1/me/tiktok/recheck', { token: shop.owner.token });
    expect(back.json).toMatchObject({ changed: 'renamed', handle: old });
    expect((await call('GET', `/v1/creators/${old}`)).status).toBe(200);
    expect((await call('GET', `/v1/creators/${renamed}`)).headers.get('Location')).toBe(`/v1/creators/${old}`);
  });
});

describe('the re-check', () => {
  it('refuses without a connection, when TikTok is down, or when the connection lapsed, changing nothing', async () => {
    expectError(await call('POST', '/v1/me/tiktok/recheck'), 401, 'unauthorized');
    const plain = await creator('approved');
    expectError(await call('POST', '/v1/me/tiktok/recheck', { token: plain.token }), 409, 'tiktok_not_connected');

    const shop = await verifiedShop();
    const before = await db()
      .prepare('SELECT checked_at, username FROM tiktok_accounts WHERE open_id = ?')
      .bind(shop.account.open_id)
      .first();
    await renameAt(shop.account.open_id, uniqueHandle('down'));
    await failTikTok('/v2/user/info/');
    expectError(await call('POST', '/v1/me/tiktok/recheck', { token: shop.owner.token }), 503, 'tiktok_unavailable');
    await failTikTok('/v2/user/info/', 1, 'error');
    const refused = await call('POST', '/v1/me/tiktok/recheck', { token: shop.owner.token });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(600);
    expect(
      await db()
        .prepare('SELECT checked_at, username FROM tiktok_accounts WHERE open_id = ?')
        .bind(shop.account.open_id)
        .first(),
    ).toEqual(before);
    expect((await call('GET', '/v1/me', { token: shop.owner.token })).json.creator.handle).toBe(shop.owner.handle);

    await db()
      .prepare('UPDATE tiktok_accounts SET refresh_expires_at = 1 WHERE open_id = ?')
      .bind(shop.account.open_id)
      .run();
    expectError(await call('POST', '/v1/me/tiktok/recheck', { token: shop.owner.token }), 409, 'tiktok_reconnect');
  });

  it('refuses a new TikTok handle another verified creator holds', async () => {
    const shop = await verifiedShop();
    const other = await verifiedShop();
    await renameAt(shop.account.open_id, other.owner.handle);
    expectError(
      await call('POST', '/v1/me/tiktok/recheck', { token: shop.owner.token }),
      409,
      'handle_verified_elsewhere',
    );
    expect((await call('GET', '/v1/me', { token: shop.owner.token })).json.creator.handle).toBe(shop.owner.handle);
  });
});

describe('the verified mark', () => {
  it('is in every public answer about the creator and on the storefront, in both languages', async () => {
    const shop = await verifiedShop();
    const typed = await publishedSeries();
    const seriesOf = async (id: string) => (await call('GET', `/v1/series/${id}`)).json.series;
    expect((await seriesOf(shop.series.id)).creator.verified).toBe('tiktok');
    expect((await seriesOf(typed.series.id)).creator.verified).toBeNull();
    expect((await call('GET', `/v1/creators/${typed.owner.handle}`)).json.creator.verified).toBeNull();
    expect(await lookupOf(typed.owner.handle)).toMatchObject({ verified: null });

    const page = await call('GET', `/@${shop.owner.handle}`);
    expect(page.text).toContain('data-verified="tiktok"');
    expect(page.text).toContain('Verified creator');
    expect((await call('GET', `/@${shop.owner.handle}?lang=fr`)).text).toContain('Créateur vérifié');
    expect((await call('GET', `/@${shop.owner.handle}/${shop.slug}`)).text).toContain('data-verified="tiktok"');
    expect((await call('GET', `/@${typed.owner.handle}`)).text).not.toContain('data-verified');

    // A bio code confirmed by an admin shows as such.
    const code = (await call('POST', '/v1/me/bio-code', { token: typed.owner.token })).json.bioCode.code;
    await call('POST', `/v1/admin/creators/${typed.owner.handle}/confirm-bio-code`, {
      token: await admin(),
      body: { code },
    });
    expect((await call('GET', `/v1/creators/${typed.owner.handle}`)).json.creator.verified).toBe('bio_code');
    expect((await call('GET', `/@${typed.owner.handle}`)).text).toContain('Verified by bio code');
  });
});
