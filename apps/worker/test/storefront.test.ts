import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../src/auth/queries';
import { CLIENT_PATH } from '../src/storefront/client-routes';
import { fixture, uploadWhole } from './media-helpers';
import { expectInvariants } from './invariants';
import { drainViews, reportPage } from './views-helpers';
import {
  addEpisode,
  admin,
  buy,
  call,
  createSeries,
  creator,
  idemKey,
  publishedSeries,
  signup,
  submitCheckout,
} from './helpers';

const cookie = (token: string) => ({ Cookie: `${SESSION_COOKIE}=${token}` });

/** A published series whose premium episode 2 has its video, so the storefront offers it. */
async function shop(opts: { title?: string } = {}) {
  const made = await publishedSeries();
  if (opts.title)
    await call('PATCH', `/v1/series/${made.series.id}`, { token: made.owner.token, body: { title: opts.title } });
  for (const episode of [made.trailer, made.ep2]) {
    expect((await uploadWhole(made.owner.token, episode.id, fixture('clip-3s.mp4'))).status).toBe(200);
  }
  const slug = (await call('GET', `/v1/series/${made.series.id}`)).json.series.slug as string;
  return { ...made, slug, seriesPath: `/@${made.owner.handle}/${slug}` };
}

const meta = (html: string, property: string) =>
  html.match(new RegExp(`<meta (?:property|name)="${property.replace(':', '\\:')}" content="([^"]*)"`))?.[1] ?? null;
const jsonLd = (html: string) => JSON.parse(html.match(/<script type="application\/ld\+json">(.*?)<\/script>/s)![1]!);

describe('creator page /@handle', () => {
  it('renders the published series with prices, OpenGraph tags and JSON-LD, cacheable', async () => {
    const { owner, slug } = await shop();
    const res = await call('GET', `/@${owner.handle}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(res.headers.get('Cache-Control')).toMatch(/^public/);
    expect(res.headers.get('ETag')).toBeTruthy();
    expect(res.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect(res.text).toMatch(/^<!doctype html><html lang="en">/);
    expect(res.text).toContain(`href="/@${owner.handle}/${slug}"`);
    expect(res.text).toContain('Buy all — $4.99');
    expect(meta(res.text, 'og:title')).toContain('Demo Creator');
    expect(meta(res.text, 'og:url')).toBe(`http://api.test/@${owner.handle}`);
    expect(meta(res.text, 'twitter:card')).toBe('summary');
    expect(res.text).toContain(`<link rel="canonical" href="http://api.test/@${owner.handle}"/>`);
    const ld = jsonLd(res.text);
    expect(ld['@type']).toBe('ProfilePage');
    expect(ld.mainEntity.owns[0].name).toBe('My Series');
    expect(res.text).toContain(`src="${CLIENT_PATH}"`);
    // Nothing particular to a viewer is in the public page: a signed-in buyer gets the very same bytes.
    const buyer = await signup();
    const signedIn = await call('GET', `/@${owner.handle}`, { headers: cookie(buyer.token) });
    expect(signedIn.text).toBe(res.text);
    expect(signedIn.text).not.toContain(buyer.email);

    const again = await call('GET', `/@${owner.handle}`, { headers: { 'If-None-Match': res.headers.get('ETag')! } });
    expect(again.status).toBe(304);
  });

  it('treats handles case-insensitively: one canonical address, the source kept', async () => {
    const { owner } = await shop();
    const res = await call('GET', `/@${owner.handle.toUpperCase()}?src=bio`);
    expect(res.status).toBe(301);
    expect(res.headers.get('Location')).toBe(`/@${owner.handle}?src=bio`);
  });

  it('answers a real 404 page for unknown, pending and suspended creators and for handles that cannot exist', async () => {
    const pending = await creator('pending');
    const suspended = await creator('suspended');
    for (const path of [
      '/@nobody_here_ever',
      `/@${pending.handle}`,
      `/@${suspended.handle}`,
      '/@a',
      '/@%3Cscript%3E',
      '/@@x',
      '/@',
      '/@x'.padEnd(60, 'y'),
    ]) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('Content-Type'), path).toMatch(/^text\/html/);
      expect(res.text, path).toContain('Page not found');
      expect(res.text, path).toContain('<meta name="robots" content="noindex"/>');
    }
  });
});

describe('series page /@handle/<slug>', () => {
  it('lists episodes in order with free / price / coming soon and the unlock buttons', async () => {
    const { owner, series, seriesPath, trailer, ep2, ep3 } = await shop();
    const soon = await addEpisode(owner.token, series.id, { title: 'Part 4', price: 399 });
    const res = await call('GET', seriesPath);
    expect(res.status).toBe(200);
    const order = [trailer.id, ep2.id, ep3.id, soon.id].map((id) => res.text.indexOf(`data-episode-row="${id}"`));
    expect(order.every((i, n) => i > 0 && (n === 0 || i > order[n - 1]!))).toBe(true);
    expect(res.text).toContain(`data-action="play" data-episode="${trailer.id}"`);
    expect(res.text).toContain(`data-action="buy" data-episode="${ep2.id}"`);
    expect(res.text).toContain(`data-action="buy" data-episode="${ep3.id}"`);
    // Episode 4 has no video yet: announced, never sold.
    expect(res.text).not.toContain(`data-action="buy" data-episode="${soon.id}"`);
    expect(res.text).toContain('Coming soon');
    expect(meta(res.text, 'og:type')).toBe('video.tv_show');
    const ld = jsonLd(res.text);
    expect(ld['@type']).toBe('CreativeWorkSeries');
    expect(ld.offers[0]).toMatchObject({ price: '4.99', priceCurrency: 'USD' });
    expect(ld.hasPart.map((e: { episodeNumber: number }) => e.episodeNumber)).toEqual([1, 2, 3, 4]);
  });

  it('makes slugs from titles, unique per creator, and keeps old ones as permanent redirects', async () => {
    const owner = await creator();
    const a = await createSeries(owner.token, { title: 'Crème Brûlée: Part 1' });
    const b = await createSeries(owner.token, { title: 'Creme brulee part 1' });
    const c = await createSeries(owner.token, { title: '東京物語' });
    expect(a.slug).toBe('creme-brulee-part-1');
    expect(b.slug).toBe('creme-brulee-part-1-2');
    expect(c.slug).toBe(c.id);
    for (const s of [a, b, c]) {
      await addEpisode(owner.token, s.id, { price: null });
      expect((await call('POST', `/v1/series/${s.id}/publish`, { token: owner.token })).status).toBe(200);
    }
    expect((await call('GET', `/@${owner.handle}/${c.id}`)).status).toBe(200);

    const renamed = await call('PATCH', `/v1/series/${a.id}`, { token: owner.token, body: { title: 'The Sequel' } });
    expect(renamed.json.series.slug).toBe('the-sequel');
    const old = await call('GET', `/@${owner.handle}/creme-brulee-part-1?src=video`);
    expect(old.status).toBe(301);
    expect(old.headers.get('Location')).toBe(`/@${owner.handle}/the-sequel?src=video`);
    expect((await call('GET', `/@${owner.handle}/creme-brulee-part-1/1`)).headers.get('Location')).toBe(
      `/@${owner.handle}/the-sequel/1`,
    );
    // The old slug stays this series' own: another series cannot take it over.
    const d = await createSeries(owner.token, { title: 'Crème brûlée — part 1' });
    expect(d.slug).toBe('creme-brulee-part-1-3');
    // Renaming back brings the old address back.
    const back = await call('PATCH', `/v1/series/${a.id}`, {
      token: owner.token,
      body: { title: 'Creme Brulee Part 1' },
    });
    expect(back.json.series.slug).toBe('creme-brulee-part-1');
    expect((await call('GET', `/@${owner.handle}/the-sequel`)).headers.get('Location')).toBe(
      `/@${owner.handle}/creme-brulee-part-1`,
    );
    // The series id always leads to the current address.
    expect((await call('GET', `/@${owner.handle}/${a.id}`)).headers.get('Location')).toBe(
      `/@${owner.handle}/creme-brulee-part-1`,
    );
  });

  it('gives series of one title created or renamed at the same moment distinct addresses', async () => {
    const owner = await creator();
    const made = await Promise.all(Array.from({ length: 8 }, () => createSeries(owner.token, { title: 'Same Title' })));
    const others = await Promise.all(Array.from({ length: 4 }, () => createSeries(owner.token, { title: 'Other' })));
    const renamed = await Promise.all(
      others.map((o) => call('PATCH', `/v1/series/${o.id}`, { token: owner.token, body: { title: 'Same Title' } })),
    );
    const slugs = [...made.map((m) => m.slug), ...renamed.map((r) => r.json.series.slug as string)];
    expect(new Set(slugs).size).toBe(12);
    for (const slug of slugs) expect(slug).toMatch(/^same-title(-\d+)?$/);
    await expectInvariants();
  });

  it('shows a rename at once (the cached page is purged)', async () => {
    const { owner, series, seriesPath } = await shop();
    expect((await call('GET', `/@${owner.handle}`)).text).toContain('My Series');
    await call('GET', seriesPath);
    await call('PATCH', `/v1/series/${series.id}`, {
      token: owner.token,
      body: { title: 'Brand New Name', description: 'Fresh' },
    });
    expect((await call('GET', `/@${owner.handle}`)).text).toContain('Brand New Name');
    const moved = await call('GET', seriesPath);
    expect(moved.status).toBe(301);
    const page = await call('GET', moved.headers.get('Location')!);
    expect(page.text).toContain('Brand New Name');
    expect(page.text).toContain('Fresh');
  });

  it('404s for unpublished series, unknown slugs and malformed addresses', async () => {
    const { owner, series, seriesPath } = await shop();
    for (const path of [
      `/@${owner.handle}/nope`,
      `/@${owner.handle}/Bad_Slug`,
      `/@${owner.handle}/${'a'.repeat(200)}`,
      `/@${owner.handle}/..%2F..`,
    ]) {
      expect((await call('GET', path)).status, path).toBe(404);
    }
    await call('POST', `/v1/series/${series.id}/unpublish`, { token: owner.token });
    const res = await call('GET', seriesPath);
    expect(res.status).toBe(404);
    expect(res.text).toContain('Page not found');
  });

  it('stays watchable for its buyers once off sale, privately, marked as no longer on sale', async () => {
    const { owner, series, ep2, seriesPath } = await shop();
    const buyer = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    await call('POST', `/v1/series/${series.id}/unpublish`, { token: owner.token });
    expect((await call('GET', seriesPath)).status).toBe(404);
    expect((await call('GET', seriesPath, { headers: cookie((await signup()).token) })).status).toBe(404);
    const mine = await call('GET', seriesPath, { headers: cookie(buyer.token) });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('Cache-Control')).toBe('private, no-store');
    expect(mine.text).toContain('No longer on sale');
    expect(mine.text).not.toContain('data-action="buy"');
    expect((await call('GET', `${seriesPath}/2`, { headers: cookie(buyer.token) })).status).toBe(200);
    // A suspended creator's page shows a buyer what they bought, and nobody else anything.
    await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token });
    await call('POST', `/v1/admin/creators/${owner.handle}/suspend`, { token: await admin() });
    expect((await call('GET', `/@${owner.handle}`)).status).toBe(404);
    const profile = await call('GET', `/@${owner.handle}`, { headers: cookie(buyer.token) });
    expect(profile.status).toBe(200);
    expect(profile.text).toContain('no longer on sale');
  });
});

describe('episode page /@handle/<slug>/<n>', () => {
  it('renders one episode with its unlock price and links to its neighbours', async () => {
    const { seriesPath, ep2 } = await shop();
    const res = await call('GET', `${seriesPath}/2`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Episode 2: Part 2');
    expect(res.text).toContain('Unlock episode — $1.99');
    expect(res.text).toContain(`href="${seriesPath}/1" rel="prev"`);
    expect(meta(res.text, 'og:type')).toBe('video.episode');
    expect(jsonLd(res.text)).toMatchObject({ '@type': 'Episode', episodeNumber: 2, offers: { price: '1.99' } });
    expect(
      JSON.parse(res.text.match(/<script type="application\/json" id="sf-data">(.*?)<\/script>/s)![1]!),
    ).toMatchObject({ page: 'episode', episodeId: ep2.id });
  });

  it('404s for numbers that name no episode', async () => {
    const { seriesPath } = await shop();
    for (const n of ['0', '4', '999', 'abc', '1.5', '-1', '01', '1e3'])
      expect((await call('GET', `${seriesPath}/${n}`)).status, n).toBe(404);
  });
});

describe('languages', () => {
  it('answers in the browser’s language, switched with ?lang= and remembered, one cached page per language', async () => {
    const { seriesPath } = await shop();
    const fr = await call('GET', `${seriesPath}/2`, { headers: { 'Accept-Language': 'fr-FR,fr;q=0.9' } });
    expect(fr.text).toContain('<html lang="fr">');
    expect(fr.text).toContain('Débloquer l’épisode — 1,99\u00a0$US');
    expect(fr.headers.get('Vary')).toContain('Accept-Language');
    const en = await call('GET', `${seriesPath}/2`);
    expect(en.text).toContain('<html lang="en">');
    const switched = await call('GET', `${seriesPath}?lang=fr`);
    expect(switched.text).toContain('<html lang="fr">');
    expect(switched.headers.get('Set-Cookie')).toMatch(/^series_lang=fr;/);
    const kept = await call('GET', seriesPath, { headers: { Cookie: 'series_lang=fr' } });
    expect(kept.text).toContain('<html lang="fr">');
    expect(kept.headers.get('Set-Cookie')).toBeNull();
  });

  it('gives each language version its own canonical address, the bare one for English', async () => {
    const { seriesPath } = await shop();
    const url = `http://api.test${seriesPath}`;
    const links = (html: string) =>
      [...html.matchAll(/<link rel="(canonical|alternate)"(?: hreflang="([^"]+)")? href="([^"]+)"\/>/g)].map((m) =>
        m.slice(1).filter(Boolean).join(' '),
      );
    const alternates = [`alternate en ${url}`, `alternate fr ${url}?lang=fr`, `alternate x-default ${url}`];
    const fr = await call('GET', `${seriesPath}?lang=fr`);
    expect(links(fr.text)).toEqual([`canonical ${url}?lang=fr`, ...alternates]);
    expect(meta(fr.text, 'og:url')).toBe(`${url}?lang=fr`);
    const en = await call('GET', seriesPath);
    expect(links(en.text)).toEqual([`canonical ${url}`, ...alternates]);
    expect(meta(en.text, 'og:url')).toBe(url);
  });
});

describe('library and receipts', () => {
  it('lists what a viewer bought, grouped by series, and each receipt only to its buyer', async () => {
    const { ep2, seriesPath } = await shop();
    const buyer = await signup();
    const purchaseId = await buy(buyer.token, { episodeId: ep2.id });

    const signedOut = await call('GET', '/library');
    expect(signedOut.status).toBe(200);
    expect(signedOut.text).toContain('Sign in to see what you bought');
    expect(signedOut.headers.get('Cache-Control')).toBe('private, no-store');

    const library = await call('GET', '/library', { headers: cookie(buyer.token) });
    expect(library.text).toContain(`href="${seriesPath}/2"`);
    expect(library.text).toContain(`href="/receipts/${purchaseId}"`);

    const receipt = await call('GET', `/receipts/${purchaseId}`, { headers: cookie(buyer.token) });
    expect(receipt.status).toBe(200);
    expect(receipt.text).toContain('$1.99');
    expect(receipt.text).toContain('Demo Creator');
    expect(receipt.text).toContain('>Paid<');
    expect(receipt.text).toMatch(/test_[0-9a-f-]{36}/);
    expect(receipt.text).toContain('<meta name="robots" content="noindex"/>');

    const stranger = await call('GET', `/receipts/${purchaseId}`, { headers: cookie((await signup()).token) });
    expect(stranger.status).toBe(404);
    expect(stranger.text).not.toContain('$1.99');
    expect((await call('GET', '/receipts/pur_nope', { headers: cookie(buyer.token) })).status).toBe(404);
    const anonymous = await call('GET', `/receipts/${purchaseId}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.text).not.toContain('$1.99');
    expect(anonymous.text).toContain('Sign in to see this receipt');
  });
});

describe('checkout from the storefront', () => {
  it('returns to the page it started on, and counts views, checkouts and purchases per source', async () => {
    const { owner, series, ep2, seriesPath } = await shop();
    const buyer = await signup();
    expect((await reportPage({ handle: owner.handle, source: 'bio' })).json).toEqual({ accepted: 1 });
    expect((await reportPage({ handle: owner.handle, seriesId: series.id })).status).toBe(202);
    // Views are counted by the VIEWS queue's consumer.
    await drainViews();
    const started = await call('POST', '/v1/checkout', {
      token: buyer.token,
      body: { episodeId: ep2.id, returnTo: `${seriesPath}/2`, source: 'bio' },
      headers: { 'Idempotency-Key': idemKey() },
    });
    expect(started.status).toBe(201);
    const paid = await submitCheckout(started.json.checkoutUrl);
    expect(paid.status).toBe(303);
    expect(paid.headers.get('Location')).toBe(`${seriesPath}/2?purchase=${started.json.purchaseId}`);

    const funnel = await call('GET', '/v1/analytics/funnel', { token: owner.token });
    expect(funnel.json.sources).toEqual([
      { source: 'bio', views: 1, checkouts: 1, purchases: 1 },
      { source: null, views: 1, checkouts: 0, purchases: 0 },
    ]);
    expect(funnel.json.sourceDays).toHaveLength(2);
    const bySeries = await call('GET', `/v1/analytics/funnel?seriesId=${series.id}`, { token: owner.token });
    // The creator's own page belongs to no series: only the series page's view and the sale remain.
    expect(bySeries.json.sources).toEqual([
      { source: null, views: 1, checkouts: 0, purchases: 0 },
      { source: 'bio', views: 0, checkouts: 1, purchases: 1 },
    ]);
  });

  it('refuses a way back that leaves the site, and a source that is not a short word, changing nothing', async () => {
    const { ep2 } = await shop();
    const buyer = await signup();
    for (const body of [
      { episodeId: ep2.id, returnTo: 'https://evil.example/' },
      { episodeId: ep2.id, returnTo: '//evil.example' },
      { episodeId: ep2.id, source: 'Not A Word' },
    ]) {
      const res = await call('POST', '/v1/checkout', {
        token: buyer.token,
        body,
        headers: { 'Idempotency-Key': idemKey() },
      });
      expect(res.status).toBe(400);
    }
    const count = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM purchases WHERE buyer_id = (SELECT id FROM users WHERE email = ?)',
    )
      .bind(buyer.email)
      .first<{ n: number }>();
    expect(count!.n).toBe(0);
  });

  it('a cancelled storefront checkout comes back to its page too', async () => {
    const { ep2, seriesPath } = await shop();
    const buyer = await signup();
    const started = await call('POST', '/v1/checkout', {
      token: buyer.token,
      body: { episodeId: ep2.id, returnTo: seriesPath },
      headers: { 'Idempotency-Key': idemKey() },
    });
    const cancelled = await submitCheckout(started.json.checkoutUrl, 'cancel');
    expect(cancelled.headers.get('Location')).toBe(`${seriesPath}?purchase=${started.json.purchaseId}`);
    expect(
      (await call('GET', `/v1/purchases/${started.json.purchaseId}`, { token: buyer.token })).json.purchase.status,
    ).toBe('cancelled');
  });
});

describe('what the page script asks', () => {
  it('GET /v1/viewer: always 200, the signed-in state and what is owned of the series', async () => {
    const { owner, series, ep2 } = await shop();
    expect((await call('GET', `/v1/viewer?seriesId=${series.id}`)).json).toEqual({
      signedIn: false,
      email: null,
      isCreator: false,
      owned: { wholeSeries: false, episodeIds: [] },
      offers: { wholeSeries: null },
    });
    const buyer = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    expect((await call('GET', `/v1/viewer?seriesId=${series.id}`, { token: buyer.token })).json).toEqual({
      signedIn: true,
      email: buyer.email,
      // Not verified yet: the page asks for it (the link is in the sign-up mail).
      emailVerified: false,
      isCreator: false,
      owned: { wholeSeries: false, episodeIds: [ep2.id] },
      // "Buy all" at this buyer's price: they already paid for episode 2.
      offers: { wholeSeries: { amount: 499 - 199, fullAmount: 499, currency: 'USD' } },
    });
    expect((await call('GET', `/v1/viewer?seriesId=${series.id}`, { token: owner.token })).json.isCreator).toBe(true);
    expect((await call('GET', '/v1/viewer?seriesId=nope')).status).toBe(400);
  });

  it('POST /v1/views/storefront: counts only on-sale pages; bad input is a 400', async () => {
    const { owner } = await shop();
    const pending = await creator('pending');
    const views = async () =>
      (await env.DB.prepare(
        'SELECT COALESCE(SUM(views), 0) AS n FROM source_daily WHERE creator_id IN (SELECT id FROM creators WHERE handle IN (?, ?))',
      )
        .bind(owner.handle, pending.handle)
        .first<{ n: number }>())!.n;
    const before = await views();
    expect((await reportPage({ handle: pending.handle })).status).toBe(202);
    expect((await reportPage({ handle: owner.handle, seriesId: 'ser_0000000000000000' })).status).toBe(202);
    await drainViews();
    expect(await views()).toBe(before);
    for (const body of [{}, { handle: owner.handle, source: 'BIO' }, { handle: owner.handle, extra: 1 }]) {
      expect((await call('POST', '/v1/views/storefront', { body })).status).toBe(400);
    }
  });

  it('serves the page script with an immutable cache and robots.txt', async () => {
    const js = await call('GET', CLIENT_PATH);
    expect(js.status).toBe(200);
    expect(js.headers.get('Content-Type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('Cache-Control')).toContain('immutable');
    const robots = await call('GET', '/robots.txt');
    expect(robots.text).toContain('Disallow: /receipts/');
  });
});

describe('pages for people, in their language', () => {
  it('a browser gets the 404 page at an address nothing answers; an API client keeps the JSON error', async () => {
    const page = await call('GET', '/no/such/page', {
      headers: { Accept: 'text/html,application/xhtml+xml', 'Accept-Language': 'fr' },
    });
    expect(page.status).toBe(404);
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain('Page introuvable');
    expect(page.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const api = await call('GET', '/v1/no/such/route', { headers: { Accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(api.json.error.code).toBe('not_found');
    expect((await call('GET', '/no/such/page')).json.error.code).toBe('not_found');
  });

  it('the test checkout page speaks French, with a way back to the storefront page', async () => {
    const { ep2, seriesPath } = await shop();
    const buyer = await signup();
    const started = await call('POST', '/v1/checkout', {
      token: buyer.token,
      body: { episodeId: ep2.id, returnTo: seriesPath },
      headers: { 'Idempotency-Key': idemKey() },
    });
    const url = new URL(started.json.checkoutUrl);
    const fr = await call('GET', url.pathname + url.search, { headers: { 'Accept-Language': 'fr-FR' } });
    expect(fr.text).toContain('<html lang="fr">');
    expect(fr.text).toContain('Payer 1,99\u00a0$US');
    expect(fr.text).toContain('Mode test\u202f: aucun paiement réel');
    await submitCheckout(started.json.checkoutUrl, 'cancel');
    const after = await call('GET', url.pathname + url.search);
    expect(after.text).toContain('This checkout was cancelled. Nothing was charged.');
    expect(after.text).toContain(`href="${seriesPath}?purchase=${started.json.purchaseId}"`);
  });
});
