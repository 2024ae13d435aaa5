import { describe, expect, it } from 'vitest';
import {
  addEpisode,
  admin,
  call,
  createSeries,
  creator,
  expectError,
  mine,
  mineOne,
  PASSWORD,
  publishedSeries,
  signup,
} from './helpers';
import { json, MISSING_SERIES } from './series-helpers';

describe('POST /v1/series', () => {
  it('creates a draft with defaults for an approved creator, visible in GET /v1/me/series', async () => {
    const owner = await creator();
    const res = await call('POST', '/v1/series', {
      token: owner.token,
      body: { title: '  Night Shift  ', currency: 'USD' },
    });
    expect(res.status).toBe(201);
    const s = res.json.series;
    expect(s.id).toMatch(/^ser_[0-9A-Za-z]{16,32}$/);
    expect(s).toMatchObject({
      title: 'Night Shift',
      description: '',
      coverUrl: null,
      currency: 'USD',
      bundlePrice: null,
      status: 'draft',
      episodeCount: 0,
      priceRange: null,
      publishedAt: null,
      episodes: [],
    });
    const list = await mine(owner.token);
    expect(list).toHaveLength(1);
    expect(list[0]).toEqual(s);
  });

  it('stores every field: description, https cover, bundle price', async () => {
    const owner = await creator();
    const body = {
      title: 'Full',
      description: 'Line one\nLine two',
      coverUrl: 'https://cdn.example.test/cover.png',
      currency: 'EUR',
      bundlePrice: 1999,
    };
    const res = await call('POST', '/v1/series', { token: owner.token, body });
    expect(res.status).toBe(201);
    expect(res.json.series).toMatchObject(body);
    expect(await mineOne(owner.token, res.json.series.id)).toMatchObject(body);
  });

  it('accepts the exact USD bounds 0.99 and 189.99 as bundle price', async () => {
    const owner = await creator();
    expect((await createSeries(owner.token, { bundlePrice: 99 })).id).toBeTruthy();
    const max = await call('POST', '/v1/series', {
      token: owner.token,
      body: { title: 'x', currency: 'USD', bundlePrice: 18_999 },
    });
    expect(max.status).toBe(201);
    expect(max.json.series.bundlePrice).toBe(18_999);
  });

  it('treats JPY as zero-decimal: 150 and 28000 yen are valid bundle prices', async () => {
    const owner = await creator();
    for (const bundlePrice of [150, 28_000]) {
      const res = await call('POST', '/v1/series', {
        token: owner.token,
        body: { title: 'Yen', currency: 'JPY', bundlePrice },
      });
      expect(res.status).toBe(201);
      expect(res.json.series).toMatchObject({ currency: 'JPY', bundlePrice });
    }
    expect(await mine(owner.token)).toHaveLength(2);
  });

  it('lets a pending creator prepare drafts', async () => {
    const owner = await creator('pending');
    const res = await call('POST', '/v1/series', { token: owner.token, body: { title: 'Draft', currency: 'USD' } });
    expect(res.status).toBe(201);
    expect(res.json.series.status).toBe('draft');
    expect(await mine(owner.token)).toHaveLength(1);
  });

  it('lets a suspended creator keep preparing drafts', async () => {
    const owner = await creator('suspended');
    const res = await call('POST', '/v1/series', { token: owner.token, body: { title: 'Draft', currency: 'USD' } });
    expect(res.status).toBe(201);
    expect(res.json.series.status).toBe('draft');
  });

  const badBodies: [string, unknown, string, string?][] = [
    ['missing title', { currency: 'USD' }, 'title'],
    ['missing currency', { title: 'T' }, 'currency'],
    ['title of the wrong type', { title: 42, currency: 'USD' }, 'title'],
    ['empty title', { title: '', currency: 'USD' }, 'title'],
    ['whitespace-only title', { title: '    ', currency: 'USD' }, 'title'],
    ['title over 120 characters', { title: 'x'.repeat(121), currency: 'USD' }, 'title'],
    ['title with a control character', { title: 'bad\u0007title', currency: 'USD' }, 'title'],
    ['description over 2000 characters', { title: 'T', description: 'd'.repeat(2001), currency: 'USD' }, 'description'],
    ['description of the wrong type', { title: 'T', description: ['a'], currency: 'USD' }, 'description'],
    ['plain-http cover', { title: 'T', coverUrl: 'http://example.test/c.png', currency: 'USD' }, 'coverUrl'],
    ['cover that is not a URL', { title: 'T', coverUrl: 'cover.png', currency: 'USD' }, 'coverUrl'],
    [
      'cover URL over 2048 characters',
      { title: 'T', coverUrl: `https://cdn.example.test/${'c'.repeat(2048)}`, currency: 'USD' },
      'coverUrl',
    ],
    ['unknown currency', { title: 'T', currency: 'XYZ' }, 'currency', 'Currency must be one of'],
    ['lower-case currency', { title: 'T', currency: 'usd' }, 'currency'],
    ['currency of the wrong type', { title: 'T', currency: 840 }, 'currency'],
    ['negative bundle price', { title: 'T', currency: 'USD', bundlePrice: -499 }, 'bundlePrice'],
    ['fractional bundle price', { title: 'T', currency: 'USD', bundlePrice: 4.99 }, 'bundlePrice'],
    ['bundle price as a string', { title: 'T', currency: 'USD', bundlePrice: '499' }, 'bundlePrice'],
    ['zero bundle price', { title: 'T', currency: 'USD', bundlePrice: 0 }, 'bundlePrice'],
    ['USD 98, below the minimum', { title: 'T', currency: 'USD', bundlePrice: 98 }, 'bundlePrice', '$0.99 and $189.99'],
    ['USD 19000, above the maximum', { title: 'T', currency: 'USD', bundlePrice: 19_000 }, 'bundlePrice', '$189.99'],
    [
      'JPY 149, below the yen minimum',
      { title: 'T', currency: 'JPY', bundlePrice: 149 },
      'bundlePrice',
      '¥150 and ¥28,000',
    ],
    [
      'JPY 28001, above the yen maximum',
      { title: 'T', currency: 'JPY', bundlePrice: 28_001 },
      'bundlePrice',
      '¥28,000',
    ],
    ['fractional yen', { title: 'T', currency: 'JPY', bundlePrice: 150.5 }, 'bundlePrice'],
    ['unknown key status', { title: 'T', currency: 'USD', status: 'published' }, '', 'status'],
    ['unknown key creatorId', { title: 'T', currency: 'USD', creatorId: 'cr_x' }, '', 'creatorId'],
    ['an array instead of an object', [{ title: 'T', currency: 'USD' }], ''],
    ['null instead of an object', null, ''],
  ];

  it.each(badBodies)('answers 400 for %s and writes nothing', async (_label, body, path, messagePart) => {
    const owner = await creator();
    const res = await call('POST', '/v1/series', { token: owner.token, raw: JSON.stringify(body), headers: json });
    expectError(res, 400, 'invalid_request', path);
    if (messagePart) expect(JSON.stringify(res.json.error)).toContain(messagePart);
    expect(await mine(owner.token)).toEqual([]);
  });

  it.each([
    ['truncated JSON', '{"title": "T", "currency": '],
    ['not JSON at all', 'title=T&currency=USD'],
  ])('answers 400 invalid_json for %s and writes nothing', async (_label, raw) => {
    const owner = await creator();
    const res = await call('POST', '/v1/series', { token: owner.token, raw, headers: json });
    expectError(res, 400, 'invalid_json');
    expect(await mine(owner.token)).toEqual([]);
  });

  it('answers 413 for a body over 64 KB and writes nothing', async () => {
    const owner = await creator();
    const res = await call('POST', '/v1/series', {
      token: owner.token,
      body: { title: 'T', currency: 'USD', description: 'x'.repeat(70_000) },
    });
    expectError(res, 413, 'payload_too_large');
    expect(await mine(owner.token)).toEqual([]);
  });

  it('answers 401 without a session', async () => {
    const res = await call('POST', '/v1/series', { body: { title: 'T', currency: 'USD' } });
    expectError(res, 401, 'unauthorized');
  });

  it('answers 401 for an unknown or logged-out token', async () => {
    const owner = await creator();
    await call('POST', '/v1/auth/logout', { token: owner.token });
    expectError(
      await call('POST', '/v1/series', { token: owner.token, body: { title: 'T', currency: 'USD' } }),
      401,
      'unauthorized',
    );
    const again = await call('POST', '/v1/auth/login', { body: { email: owner.email, password: PASSWORD } });
    expect(await mine(again.json.token)).toEqual([]);
  });

  it('answers 403 creator_required for a viewer without a creator profile, and for an admin without one', async () => {
    const viewer = await signup();
    expectError(
      await call('POST', '/v1/series', { token: viewer.token, body: { title: 'T', currency: 'USD' } }),
      403,
      'creator_required',
    );
    expectError(
      await call('POST', '/v1/series', { token: await admin(), body: { title: 'T', currency: 'USD' } }),
      403,
      'creator_required',
    );
    // Claiming a handle afterwards shows that nothing was created for them in the meantime.
    await call('POST', '/v1/creators', {
      token: viewer.token,
      body: { handle: `v_${crypto.randomUUID().slice(0, 8)}`, displayName: 'V' },
    });
    expect(await mine(viewer.token)).toEqual([]);
  });
});

describe('PATCH /v1/series/:id', () => {
  it('updates the given fields and leaves the others alone', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token, { description: 'old', bundlePrice: 499 });
    const res = await call('PATCH', `/v1/series/${series.id}`, {
      token: owner.token,
      body: { title: 'New title', coverUrl: 'https://cdn.example.test/new.jpg' },
    });
    expect(res.status).toBe(200);
    expect(res.json.series).toMatchObject({
      id: series.id,
      title: 'New title',
      coverUrl: 'https://cdn.example.test/new.jpg',
      description: 'old',
      bundlePrice: 499,
      currency: 'USD',
      status: 'draft',
    });
    expect(await mineOne(owner.token, series.id)).toMatchObject({
      title: 'New title',
      description: 'old',
      bundlePrice: 499,
    });
  });

  it('clears the bundle price and the cover with null', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token, { bundlePrice: 499, coverUrl: 'https://cdn.example.test/c.png' });
    const res = await call('PATCH', `/v1/series/${series.id}`, {
      token: owner.token,
      body: { bundlePrice: null, coverUrl: null },
    });
    expect(res.status).toBe(200);
    expect(await mineOne(owner.token, series.id)).toMatchObject({ bundlePrice: null, coverUrl: null });
  });

  it('checks the bundle price against the series currency (JPY is zero-decimal)', async () => {
    const owner = await creator();
    const yen = await createSeries(owner.token, { currency: 'JPY' });
    const ok = await call('PATCH', `/v1/series/${yen.id}`, { token: owner.token, body: { bundlePrice: 28_000 } });
    expect(ok.status).toBe(200);
    expect(ok.json.series.bundlePrice).toBe(28_000);
    // 18999 is a fine USD price but above the yen maximum.
    const tooMuch = await call('PATCH', `/v1/series/${yen.id}`, { token: owner.token, body: { bundlePrice: 28_001 } });
    expectError(tooMuch, 400, 'invalid_price', 'bundlePrice');
    expect(tooMuch.json.error.message).toContain('¥28,000');
    expect((await mineOne(owner.token, yen.id)).bundlePrice).toBe(28_000);
  });

  it('lets a pending creator edit their own draft', async () => {
    const owner = await creator('pending');
    const series = await createSeries(owner.token);
    const res = await call('PATCH', `/v1/series/${series.id}`, { token: owner.token, body: { title: 'Renamed' } });
    expect(res.status).toBe(200);
    expect((await mineOne(owner.token, series.id)).title).toBe('Renamed');
  });

  const badPatches: [string, unknown, string, string][] = [
    ['an empty patch', {}, 'invalid_request', ''],
    ['currency (fixed at creation)', { currency: 'EUR' }, 'invalid_request', ''],
    ['currency along with a valid field', { title: 'ok', currency: 'EUR' }, 'invalid_request', ''],
    ['unknown key status', { status: 'published' }, 'invalid_request', ''],
    ['title of the wrong type', { title: 7 }, 'invalid_request', 'title'],
    ['empty title', { title: '' }, 'invalid_request', 'title'],
    ['null title', { title: null }, 'invalid_request', 'title'],
    ['title over 120 characters', { title: 'y'.repeat(121) }, 'invalid_request', 'title'],
    ['description over 2000 characters', { description: 'd'.repeat(2001) }, 'invalid_request', 'description'],
    ['plain-http cover', { coverUrl: 'http://example.test/c.png' }, 'invalid_request', 'coverUrl'],
    ['negative bundle price', { bundlePrice: -1 }, 'invalid_request', 'bundlePrice'],
    ['fractional bundle price', { bundlePrice: 9.99 }, 'invalid_request', 'bundlePrice'],
    ['bundle price as a string', { bundlePrice: '999' }, 'invalid_request', 'bundlePrice'],
    ['zero bundle price', { bundlePrice: 0 }, 'invalid_price', 'bundlePrice'],
    ['USD 98', { bundlePrice: 98 }, 'invalid_price', 'bundlePrice'],
    ['USD 19000', { bundlePrice: 19_000 }, 'invalid_price', 'bundlePrice'],
  ];

  it.each(badPatches)('answers 400 for %s and changes nothing', async (_label, body, code, path) => {
    const owner = await creator();
    const series = await createSeries(owner.token, { bundlePrice: 499 });
    const before = await mine(owner.token);
    const res = await call('PATCH', `/v1/series/${series.id}`, { token: owner.token, body });
    expectError(res, 400, code, path);
    expect(await mine(owner.token)).toEqual(before);
  });

  it('answers 400 invalid_json for malformed JSON and changes nothing', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const before = await mine(owner.token);
    const res = await call('PATCH', `/v1/series/${series.id}`, { token: owner.token, raw: '{"title":', headers: json });
    expectError(res, 400, 'invalid_json');
    expect(await mine(owner.token)).toEqual(before);
  });

  it('answers 404 (not 403) to another creator and changes nothing', async () => {
    const owner = await creator();
    const other = await creator();
    const series = await createSeries(owner.token);
    const before = await mine(owner.token);
    const res = await call('PATCH', `/v1/series/${series.id}`, { token: other.token, body: { title: 'Hijacked' } });
    expectError(res, 404, 'not_found');
    expect(await mine(owner.token)).toEqual(before);
  });

  it('answers 404 for unknown and malformed ids', async () => {
    const owner = await creator();
    expectError(
      await call('PATCH', `/v1/series/${MISSING_SERIES}`, { token: owner.token, body: { title: 'x' } }),
      404,
      'not_found',
    );
    expectError(
      await call('PATCH', '/v1/series/not-an-id', { token: owner.token, body: { title: 'x' } }),
      404,
      'not_found',
    );
  });

  it('answers 401 anonymously and 403 creator_required to a viewer and an admin without a creator profile', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const before = await mine(owner.token);
    expectError(await call('PATCH', `/v1/series/${series.id}`, { body: { title: 'x' } }), 401, 'unauthorized');
    const viewer = await signup();
    expectError(
      await call('PATCH', `/v1/series/${series.id}`, { token: viewer.token, body: { title: 'x' } }),
      403,
      'creator_required',
    );
    expectError(
      await call('PATCH', `/v1/series/${series.id}`, { token: await admin(), body: { title: 'x' } }),
      403,
      'creator_required',
    );
    expect(await mine(owner.token)).toEqual(before);
  });
});

describe('POST /v1/series/:id/publish and /unpublish', () => {
  it('publishes a series with episodes, shows it publicly, and unpublish hides it again', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    await addEpisode(owner.token, series.id);
    expectError(await call('GET', `/v1/series/${series.id}`), 404, 'not_found');

    const pub = await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token });
    expect(pub.status).toBe(200);
    expect(pub.json.series.status).toBe('published');
    expect(Date.parse(pub.json.series.publishedAt)).not.toBeNaN();
    expect((await call('GET', `/v1/series/${series.id}`)).status).toBe(200);
    const profile = await call('GET', `/v1/creators/${owner.handle}`);
    expect(profile.json.series.map((s: { id: string }) => s.id)).toEqual([series.id]);

    const unpub = await call('POST', `/v1/series/${series.id}/unpublish`, { token: owner.token });
    expect(unpub.status).toBe(200);
    expect(unpub.json.series.status).toBe('draft');
    expect((await mineOne(owner.token, series.id)).status).toBe('draft');
    expectError(await call('GET', `/v1/series/${series.id}`), 404, 'not_found');
    expect((await call('GET', `/v1/creators/${owner.handle}`)).json.series).toEqual([]);
  });

  it('keeps the first publishedAt when a series is republished', async () => {
    const { owner, series } = await publishedSeries();
    const first = (await mineOne(owner.token, series.id)).publishedAt;
    expect(first).not.toBeNull();
    await call('POST', `/v1/series/${series.id}/unpublish`, { token: owner.token });
    await new Promise((r) => setTimeout(r, 5));
    const again = await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token });
    expect(again.status).toBe(200);
    expect(again.json.series.publishedAt).toBe(first);
  });

  it('answers 409 series_empty for a series without episodes and leaves it a draft', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    expectError(await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token }), 409, 'series_empty');
    expect((await mineOne(owner.token, series.id)).status).toBe('draft');
    expectError(await call('GET', `/v1/series/${series.id}`), 404, 'not_found');
  });

  it('answers 403 creator_not_approved to a pending creator, who can publish once approved', async () => {
    const owner = await creator('pending');
    const series = await createSeries(owner.token);
    await addEpisode(owner.token, series.id);
    const res = await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token });
    expectError(res, 403, 'creator_not_approved');
    expect((await mineOne(owner.token, series.id)).status).toBe('draft');
    expectError(await call('GET', `/v1/series/${series.id}`), 404, 'not_found');

    expect((await call('POST', `/v1/admin/creators/${owner.handle}/approve`, { token: await admin() })).status).toBe(
      200,
    );
    expect((await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token })).status).toBe(200);
    expect((await call('GET', `/v1/series/${series.id}`)).status).toBe(200);
  });

  it('answers 403 creator_not_approved to a suspended creator', async () => {
    const owner = await creator('suspended');
    const series = await createSeries(owner.token);
    await addEpisode(owner.token, series.id);
    const res = await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token });
    expectError(res, 403, 'creator_not_approved');
    expect(res.json.error.message).toMatch(/suspended/i);
    expect((await mineOne(owner.token, series.id)).status).toBe('draft');
  });

  it('answers 404 (not 403) to another creator for publish and unpublish, changing nothing', async () => {
    const owner = await creator();
    const other = await creator();
    const draft = await createSeries(owner.token);
    await addEpisode(owner.token, draft.id);
    expectError(await call('POST', `/v1/series/${draft.id}/publish`, { token: other.token }), 404, 'not_found');
    expect((await mineOne(owner.token, draft.id)).status).toBe('draft');

    const live = await publishedSeries();
    expectError(await call('POST', `/v1/series/${live.series.id}/unpublish`, { token: other.token }), 404, 'not_found');
    expect((await call('GET', `/v1/series/${live.series.id}`)).status).toBe(200);
  });

  it('answers 401 anonymously and 403 creator_required to a viewer and an admin', async () => {
    const { series } = await publishedSeries();
    const viewer = await signup();
    for (const action of ['publish', 'unpublish']) {
      expectError(await call('POST', `/v1/series/${series.id}/${action}`), 401, 'unauthorized');
      expectError(
        await call('POST', `/v1/series/${series.id}/${action}`, { token: viewer.token }),
        403,
        'creator_required',
      );
      expectError(
        await call('POST', `/v1/series/${series.id}/${action}`, { token: await admin() }),
        403,
        'creator_required',
      );
    }
    expect((await call('GET', `/v1/series/${series.id}`)).status).toBe(200);
  });

  it('answers 404 for unknown series ids', async () => {
    const owner = await creator();
    expectError(await call('POST', `/v1/series/${MISSING_SERIES}/publish`, { token: owner.token }), 404, 'not_found');
    expectError(await call('POST', `/v1/series/${MISSING_SERIES}/unpublish`, { token: owner.token }), 404, 'not_found');
  });
});
