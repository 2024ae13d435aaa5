import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { issueGrant } from '../src/access/grants';
import {
  addEpisode,
  admin,
  buy,
  call,
  creator,
  createSeries,
  publishedSeries,
  signup,
  startCheckout,
  submitCheckout,
} from './helpers';

const FIVE_MINUTES = 5 * 60 * 1000;

interface AccessBody {
  episodeId: string;
  reason: 'free' | 'purchased' | 'creator';
  grant: { token: string; expiresAt: string };
  playbackUrl: string;
}

async function access(episodeId: string, token?: string) {
  return call('GET', `/v1/episodes/${episodeId}/access`, { token });
}

async function granted(episodeId: string, token?: string): Promise<AccessBody> {
  const res = await access(episodeId, token);
  expect(res.status, res.text).toBe(200);
  return res.json as AccessBody;
}

/** The media path (with its grant query) from a playback URL. */
const mediaPath = (playbackUrl: string) => {
  const url = new URL(playbackUrl);
  return url.pathname + url.search;
};

const media = (episodeId: string, grant: string, token?: string) =>
  call('GET', `/v1/media/${episodeId}?grant=${encodeURIComponent(grant)}`, { token });

const future = (ms: number) => new Date(Date.now() + ms).toISOString();

describe('GET /v1/episodes/:id/access', () => {
  it('grants a free episode to anonymous visitors and signed-in viewers (reason free)', async () => {
    const { trailer } = await publishedSeries();
    const anon = await access(trailer.id);
    expect(anon.status).toBe(200);
    expect(anon.headers.get('Cache-Control')).toContain('no-store');
    expect(anon.json).toMatchObject({ episodeId: trailer.id, reason: 'free' });
    expect(anon.json.grant.token.split('.')[0]).toBe('anonymous');

    const viewer = await signup();
    const mine = await granted(trailer.id, viewer.token);
    expect(mine.reason).toBe('free');
    expect(mine.grant.token.split('.')[0]).toBe(viewer.user.id);
  });

  it('answers 401 for a premium episode without a session, with no grant', async () => {
    const { ep2 } = await publishedSeries();
    const res = await access(ep2.id);
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('unauthorized');
    expect(res.json.grant).toBeUndefined();
  });

  it('answers 402 with the price and the ways to buy it to a viewer who does not own it', async () => {
    const { series, ep3 } = await publishedSeries();
    const viewer = await signup();
    const res = await access(ep3.id, viewer.token);
    expect(res.status).toBe(402);
    expect(res.json.error.code).toBe('payment_required');
    expect(res.json.price).toEqual({ amount: 299, currency: 'USD' });
    expect(res.json.buyOptions).toEqual([
      { kind: 'episode', episodeId: ep3.id, amount: 299, currency: 'USD' },
      { kind: 'series', seriesId: series.id, amount: 499, fullAmount: 499, currency: 'USD' },
    ]);
    expect(res.json.grant).toBeUndefined();
  });

  it('offers only the episode when the series has no bundle price', async () => {
    const { ep2 } = await publishedSeries({ bundlePrice: null });
    const viewer = await signup();
    const res = await access(ep2.id, viewer.token);
    expect(res.status).toBe(402);
    expect(res.json.buyOptions).toEqual([{ kind: 'episode', episodeId: ep2.id, amount: 199, currency: 'USD' }]);
  });

  it('refuses another creator (not the owner) like any viewer', async () => {
    const { ep2 } = await publishedSeries();
    const other = await creator();
    expect((await access(ep2.id, other.token)).status).toBe(402);
  });

  it('grants the buyer of an episode (reason purchased) but not the episodes they did not buy', async () => {
    const { ep2, ep3 } = await publishedSeries();
    const viewer = await signup();
    await buy(viewer.token, { episodeId: ep2.id });
    const body = await granted(ep2.id, viewer.token);
    expect(body.reason).toBe('purchased');
    expect(body.episodeId).toBe(ep2.id);
    expect((await access(ep3.id, viewer.token)).status).toBe(402);
    // The same premium episode is still refused to everyone else.
    expect((await access(ep2.id, (await signup()).token)).status).toBe(402);
    expect((await access(ep2.id)).status).toBe(401);
  });

  it('does not grant on a pending or cancelled checkout', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    expect((await access(ep2.id, viewer.token)).status).toBe(402);
    await submitCheckout(co.json.checkoutUrl, 'cancel');
    expect((await access(ep2.id, viewer.token)).status).toBe(402);
  });

  it('grants a whole-series buyer every episode, including ones added later', async () => {
    const { owner, series, trailer, ep2, ep3 } = await publishedSeries();
    const viewer = await signup();
    await buy(viewer.token, { seriesId: series.id });
    const later = await addEpisode(owner.token, series.id, { title: 'Part 4', price: 399 });
    for (const ep of [ep2, ep3, later]) expect((await granted(ep.id, viewer.token)).reason).toBe('purchased');
    expect((await granted(trailer.id, viewer.token)).reason).toBe('free');
  });

  it('grants the creator their own premium episodes (reason creator), even in a draft series', async () => {
    const { owner, ep2 } = await publishedSeries();
    expect((await granted(ep2.id, owner.token)).reason).toBe('creator');

    const draftOwner = await creator();
    const draft = await createSeries(draftOwner.token);
    const draftEp = await addEpisode(draftOwner.token, draft.id, { price: 199 });
    expect((await granted(draftEp.id, draftOwner.token)).reason).toBe('creator');
    // Nobody else can see a draft episode exists.
    expect((await access(draftEp.id, (await signup()).token)).status).toBe(404);
    expect((await access(draftEp.id)).status).toBe(404);
  });

  it('answers 404 for unknown and malformed episode ids', async () => {
    const viewer = await signup();
    for (const id of ['ep_0123456789abcdefXYZ', 'nope', 'ser_0123456789abcdefXYZ']) {
      const res = await access(id, viewer.token);
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe('not_found');
    }
  });

  it('hides a suspended creator’s episodes from viewers but buyers keep them', async () => {
    const { owner, trailer, ep2 } = await publishedSeries();
    const buyer = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    expect((await call('POST', `/v1/admin/creators/${owner.handle}/suspend`, { token: await admin() })).status).toBe(
      200,
    );
    expect((await access(ep2.id, (await signup()).token)).status).toBe(404);
    expect((await access(trailer.id)).status).toBe(404);
    expect((await granted(ep2.id, buyer.token)).reason).toBe('purchased');
  });

  it('hides an unpublished series from viewers but buyers and the owner keep it', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const episodeBuyer = await signup();
    const seriesBuyer = await signup();
    await buy(episodeBuyer.token, { episodeId: ep2.id });
    await buy(seriesBuyer.token, { seriesId: series.id });
    expect((await call('POST', `/v1/series/${series.id}/unpublish`, { token: owner.token })).status).toBe(200);
    expect((await access(ep2.id, (await signup()).token)).status).toBe(404);
    expect((await granted(ep2.id, episodeBuyer.token)).reason).toBe('purchased');
    // Owning one episode does not reveal the others of a hidden series.
    expect((await access(ep3.id, episodeBuyer.token)).status).toBe(404);
    expect((await granted(ep3.id, seriesBuyer.token)).reason).toBe('purchased');
    expect((await granted(ep3.id, owner.token)).reason).toBe('creator');
  });

  it('answers 403 not_released before releaseAt to viewers and buyers, 200 to the owner', async () => {
    const { owner, series } = await publishedSeries();
    const releaseAt = future(24 * 60 * 60 * 1000);
    const upcoming = await addEpisode(owner.token, series.id, { title: 'Soon', price: 199, releaseAt });
    const upcomingFree = await addEpisode(owner.token, series.id, { title: 'Soon free', price: null, releaseAt });
    const viewer = await signup();
    const seriesBuyer = await signup();
    await buy(seriesBuyer.token, { seriesId: series.id });

    for (const [episodeId, token] of [
      [upcoming.id, viewer.token],
      [upcoming.id, seriesBuyer.token],
      [upcoming.id, undefined],
      [upcomingFree.id, undefined],
      [upcomingFree.id, viewer.token],
    ] as const) {
      const res = await access(episodeId, token);
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('not_released');
      expect(Date.parse(res.json.releaseAt)).toBe(Date.parse(releaseAt));
      expect(res.json.grant).toBeUndefined();
    }
    expect((await granted(upcoming.id, owner.token)).reason).toBe('creator');

    // Once the release time passes, the buyer gets it.
    await env.DB.prepare('UPDATE episodes SET release_at = ? WHERE id = ?')
      .bind(Date.now() - 1000, upcoming.id)
      .run();
    expect((await granted(upcoming.id, seriesBuyer.token)).reason).toBe('purchased');
    expect((await access(upcoming.id, viewer.token)).status).toBe(402);
  });

  it('issues a grant that expires within 5 minutes and a playback URL for this episode', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    await buy(viewer.token, { episodeId: ep2.id });
    const body = await granted(ep2.id, viewer.token);
    // Read the clock after the response: the grant was issued at or before this instant.
    const after = Date.now();
    const expiresAt = Date.parse(body.grant.expiresAt);
    expect(expiresAt - after).toBeLessThanOrEqual(FIVE_MINUTES);
    expect(expiresAt - after).toBeGreaterThan(60 * 1000);
    // The token carries the same expiry it advertises.
    expect(Number(body.grant.token.split('.')[2])).toBe(expiresAt);
    const url = new URL(body.playbackUrl);
    expect(url.pathname).toBe(`/v1/media/${ep2.id}`);
    expect(url.searchParams.get('grant')).toBe(body.grant.token);
  });
});

describe('GET /v1/media/:id?grant=', () => {
  it('accepts a valid grant; the file itself is not uploaded yet (404 media_not_uploaded)', async () => {
    const { owner, series, trailer } = await publishedSeries();
    const viewer = await signup();
    await buy(viewer.token, { seriesId: series.id });
    // The whole series covers episodes added later, also one whose video is not uploaded yet.
    const later = await addEpisode(owner.token, series.id, { title: 'Part 4', price: 399 });
    const body = await granted(later.id, viewer.token);
    const res = await call('GET', mediaPath(body.playbackUrl), { token: viewer.token });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('media_not_uploaded');

    const free = await granted(trailer.id);
    const anon = await call('GET', mediaPath(free.playbackUrl));
    expect(anon.status).toBe(404);
    expect(anon.json.error.code).toBe('media_not_uploaded');
  });

  it('refuses tampered grants with 403 invalid_grant', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    const other = await signup();
    await buy(viewer.token, { episodeId: ep2.id });
    const { grant } = await granted(ep2.id, viewer.token);
    const [viewerId, episodeId, expiry, sig] = grant.token.split('.') as [string, string, string, string];
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);

    const tampered = [
      `${viewerId}.${episodeId}.${expiry}.${flip(sig)}`,
      `${viewerId}.${episodeId}.${Number(expiry) + 24 * 60 * 60 * 1000}.${sig}`,
      `anonymous.${episodeId}.${expiry}.${sig}`,
      `${other.user.id}.${episodeId}.${expiry}.${sig}`,
      `${viewerId}.${episodeId}.${expiry}`,
      // Signatures that are not base64url (a length no encoding has, a lone character): 403, never a 500.
      `${viewerId}.${episodeId}.${expiry}.${sig}AA`,
      `${viewerId}.${episodeId}.${expiry}.A`,
      `${grant.token}.extra`,
      '',
      'garbage',
    ];
    for (const token of tampered) {
      const res = await media(ep2.id, token);
      expect(res.status, token).toBe(403);
      expect(res.json.error.code).toBe('invalid_grant');
    }
    const missing = await call('GET', `/v1/media/${ep2.id}`);
    expect(missing.status).toBe(403);
    expect(missing.json.error.code).toBe('invalid_grant');
    // The untouched grant still works, so the refusals above are about the tampering.
    expect((await media(ep2.id, grant.token, viewer.token)).status).toBe(200);
  });

  it('refuses a grant issued for another episode', async () => {
    const { trailer, ep2, ep3 } = await publishedSeries();
    const viewer = await signup();
    await buy(viewer.token, { episodeId: ep2.id });
    const forEp2 = await granted(ep2.id, viewer.token);
    const forTrailer = await granted(trailer.id);
    for (const [target, token] of [
      [ep3.id, forEp2.grant.token],
      [ep2.id, forTrailer.grant.token],
      [ep3.id, forTrailer.grant.token],
    ] as const) {
      const res = await media(target, token, viewer.token);
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('invalid_grant');
    }
  });

  it('refuses an expired grant', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    const secret = env.SIGNING_SECRET;
    const fresh = await issueGrant(secret, {
      viewerId: viewer.user.id,
      episodeId: ep2.id,
      expiresAt: Date.now() + 60_000,
    });
    const expired = await issueGrant(secret, {
      viewerId: viewer.user.id,
      episodeId: ep2.id,
      expiresAt: Date.now() - 1,
    });
    // A grant crafted with the real secret is accepted while fresh, so the refusal below is about expiry.
    expect((await media(ep2.id, fresh, viewer.token)).status).toBe(200);
    const res = await media(ep2.id, expired, viewer.token);
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('invalid_grant');
    // A grant signed with another key is refused too.
    const forged = await issueGrant('another-secret-0123456789abcdef0123456789', {
      viewerId: viewer.user.id,
      episodeId: ep2.id,
      expiresAt: Date.now() + 60_000,
    });
    expect((await media(ep2.id, forged, viewer.token)).status).toBe(403);
  });

  it('refuses a grant presented by a different signed-in viewer', async () => {
    const { ep2 } = await publishedSeries();
    const buyer = await signup();
    const other = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    const body = await granted(ep2.id, buyer.token);
    const res = await call('GET', mediaPath(body.playbackUrl), { token: other.token });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('invalid_grant');
    expect((await call('GET', mediaPath(body.playbackUrl), { token: buyer.token })).status).toBe(200);
  });

  it('answers 404 for a malformed episode id', async () => {
    const res = await call('GET', '/v1/media/not-an-episode?grant=x');
    expect(res.status).toBe(404);
  });
});
