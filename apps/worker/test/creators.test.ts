import { describe, expect, it } from 'vitest';
import {
  addEpisode,
  admin,
  call,
  createSeries,
  creator,
  expectError,
  expectInvalid,
  publishedSeries,
  signup,
  uniqueHandle,
} from './helpers';

const claim = (token: string | null, body: unknown) => call('POST', '/v1/creators', { token, body });

async function myCreator(token: string) {
  const res = await call('GET', '/v1/me', { token });
  expect(res.status).toBe(200);
  return res.json.creator as null | { handle: string; displayName: string; status: string };
}

/** Proves `handle` is still free: a brand-new account can claim it. */
async function expectHandleFree(handle: string) {
  const other = await signup();
  const res = await claim(other.token, { handle, displayName: 'Proof' });
  expect(res.status).toBe(201);
}

async function adminCreators(handle?: string) {
  const res = await call('GET', '/v1/admin/creators', { token: await admin() });
  expect(res.status).toBe(200);
  const all = res.json.creators as Array<{ handle: string; email: string; status: string }>;
  return handle ? all.filter((c) => c.handle === handle) : all;
}

describe('POST /v1/creators (claim a handle)', () => {
  it('claims a handle as pending and shows it in GET /v1/me', async () => {
    const account = await signup();
    const handle = uniqueHandle('claim');
    const res = await claim(account.token, { handle, displayName: 'Ada Lovelace' });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      creator: {
        id: expect.stringMatching(/^cr_/),
        handle,
        displayName: 'Ada Lovelace',
        status: 'pending',
        statusMeaning: expect.any(String),
        createdAt: expect.any(String),
        statusChangedAt: expect.any(String),
        // A typed claim is unverified (the admin checks it); connecting TikTok verifies it.
        verifiedBy: null,
      },
    });
    expect(await myCreator(account.token)).toMatchObject({ handle, displayName: 'Ada Lovelace', status: 'pending' });
    // Not public until approved.
    expectError(await call('GET', `/v1/creators/${handle}`), 404, 'not_found');
  });

  it('normalizes the handle (lower case, no @, trimmed) and trims the display name', async () => {
    const account = await signup();
    const base = uniqueHandle('Norm');
    const res = await claim(account.token, { handle: `  @${base.toUpperCase()} `, displayName: '  Grace  ' });
    expect(res.status).toBe(201);
    expect(res.json.creator).toMatchObject({ handle: base.toLowerCase(), displayName: 'Grace' });
  });

  it('accepts the boundary sizes: 2- and 24-character handles, 60-character names, dots and underscores', async () => {
    const short = 'q7'; // storage is per test file, so this fixed handle is free
    const long = `a.b_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
    expect(long).toHaveLength(24);
    const a = await signup();
    const b = await signup();
    const ra = await claim(a.token, { handle: short, displayName: 'n'.repeat(60) });
    expect(ra.status).toBe(201);
    expect(ra.json.creator.displayName).toHaveLength(60);
    const rb = await claim(b.token, { handle: long, displayName: 'Émilie du Châtelet 🎬' });
    expect(rb.status).toBe(201);
    expect(rb.json.creator).toMatchObject({ handle: long, displayName: 'Émilie du Châtelet 🎬' });
  });

  it('answers 401 to an anonymous caller and claims nothing', async () => {
    const handle = uniqueHandle('anon');
    expectError(await claim(null, { handle, displayName: 'Nobody' }), 401, 'unauthorized');
    expectError(await claim('bogus-token', { handle, displayName: 'Nobody' }), 401, 'unauthorized');
    await expectHandleFree(handle);
  });

  describe('refuses bad input with 400 and claims nothing', () => {
    const cases: Array<[string, (handle: string) => unknown]> = [
      ['missing handle', () => ({ displayName: 'Name' })],
      ['missing displayName', (handle) => ({ handle })],
      ['empty object', () => ({})],
      ['handle of the wrong type', () => ({ handle: 12345, displayName: 'Name' })],
      ['displayName of the wrong type', (handle) => ({ handle, displayName: { first: 'A' } })],
      ['handle null', () => ({ handle: null, displayName: 'Name' })],
      ['handle of one character', () => ({ handle: 'a', displayName: 'Name' })],
      ['handle of 25 characters', () => ({ handle: 'a'.repeat(25), displayName: 'Name' })],
      ['handle with a space', () => ({ handle: 'two words', displayName: 'Name' })],
      ['handle with a hyphen', () => ({ handle: 'with-hyphen', displayName: 'Name' })],
      ['handle with a slash', () => ({ handle: 'a/b', displayName: 'Name' })],
      ['handle ending with a period', () => ({ handle: 'trailing.', displayName: 'Name' })],
      ['handle with non-ASCII letters', () => ({ handle: 'café', displayName: 'Name' })],
      ['empty displayName', (handle) => ({ handle, displayName: '' })],
      ['blank displayName', (handle) => ({ handle, displayName: '   ' })],
      ['displayName of 61 characters', (handle) => ({ handle, displayName: 'n'.repeat(61) })],
      ['displayName with a newline', (handle) => ({ handle, displayName: 'Line\nbreak' })],
      ['displayName with a NUL', (handle) => ({ handle, displayName: 'Nul\u0000byte' })],
      ['unknown key', (handle) => ({ handle, displayName: 'Name', status: 'approved' })],
      ['an array', (handle) => [handle, 'Name']],
    ];
    for (const [label, body] of cases) {
      it(label, async () => {
        const account = await signup();
        const handle = uniqueHandle('bad');
        expectInvalid(await claim(account.token, body(handle)));
        expect(await myCreator(account.token)).toBeNull();
        // The account can still claim, and the handle is still free.
        const ok = await claim(account.token, { handle, displayName: 'Later' });
        expect(ok.status).toBe(201);
      });
    }

    it('points issues at the offending field', async () => {
      const account = await signup();
      const res = await claim(account.token, { handle: 'ok_handle', displayName: 'n'.repeat(61) });
      expectInvalid(res);
      expect(res.json.error.issues.map((i: { path: string }) => i.path)).toEqual(['displayName']);
    });

    it('malformed JSON answers 400 invalid_json', async () => {
      const account = await signup();
      const handle = uniqueHandle('json');
      const res = await call('POST', '/v1/creators', {
        token: account.token,
        raw: `{"handle":"${handle}","displayName":"X",}`,
        headers: { 'Content-Type': 'application/json' },
      });
      expectInvalid(res, 'invalid_json');
      expect(await myCreator(account.token)).toBeNull();
      await expectHandleFree(handle);
    });

    it('wrong content-type answers 415', async () => {
      const account = await signup();
      const handle = uniqueHandle('ctype');
      const res = await call('POST', '/v1/creators', {
        token: account.token,
        raw: JSON.stringify({ handle, displayName: 'X' }),
        headers: { 'Content-Type': 'text/plain' },
      });
      expectError(res, 415, 'unsupported_media_type');
      expect(await myCreator(account.token)).toBeNull();
      await expectHandleFree(handle);
    });

    it('a body over the size limit answers 413', async () => {
      const account = await signup();
      const handle = uniqueHandle('huge');
      const res = await claim(account.token, { handle, displayName: 'X'.repeat(70 * 1024) });
      expectError(res, 413, 'payload_too_large');
      expect(await myCreator(account.token)).toBeNull();
    });
  });

  it('answers 409 handle_taken for a handle already claimed, whatever its casing', async () => {
    const first = await signup();
    const handle = uniqueHandle('Taken');
    expect((await claim(first.token, { handle, displayName: 'First' })).status).toBe(201);
    for (const variant of [handle, handle.toUpperCase(), `@${handle}`, ` ${handle.toLowerCase()} `]) {
      const other = await signup();
      const res = await claim(other.token, { handle: variant, displayName: 'Squatter' });
      expectError(res, 409, 'handle_taken');
      expect(await myCreator(other.token)).toBeNull();
    }
    const owners = await adminCreators(handle.toLowerCase());
    expect(owners).toHaveLength(1);
    expect(owners[0]).toMatchObject({ email: first.email, displayName: 'First' });
  });

  it('lets exactly one of 10 concurrent claims of one handle win', async () => {
    const accounts = await Promise.all(Array.from({ length: 10 }, () => signup()));
    const handle = uniqueHandle('race');
    const results = await Promise.all(
      accounts.map((a, i) =>
        claim(a.token, { handle: i % 2 ? handle.toUpperCase() : handle, displayName: `Racer ${i}` }),
      ),
    );
    const winners = results.flatMap((r, i) => (r.status === 201 ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const r of results) if (r.status !== 201) expectError(r, 409, 'handle_taken');

    const owners = await adminCreators(handle);
    expect(owners).toHaveLength(1);
    expect(owners[0]!.email).toBe(accounts[winners[0]!]!.email);
    const mine = await Promise.all(accounts.map((a) => myCreator(a.token)));
    expect(mine.filter((c) => c !== null)).toHaveLength(1);
  });

  it('answers 409 already_creator to a second claim by the same account, keeping the first handle', async () => {
    const account = await signup();
    const first = uniqueHandle('one');
    const second = uniqueHandle('two');
    expect((await claim(account.token, { handle: first, displayName: 'One' })).status).toBe(201);
    expectError(await claim(account.token, { handle: second, displayName: 'Two' }), 409, 'already_creator');
    // Re-claiming the same handle is also refused; it does not reset anything.
    const same = await claim(account.token, { handle: first, displayName: 'Renamed' });
    expect(same.status).toBe(409);
    expect(['already_creator', 'handle_taken']).toContain(same.json.error.code);
    expect(await myCreator(account.token)).toMatchObject({ handle: first, displayName: 'One', status: 'pending' });
    await expectHandleFree(second);
  });

  it('one handle per account also holds when one account races claims of several handles', async () => {
    const account = await signup();
    const handles = Array.from({ length: 6 }, () => uniqueHandle('multi'));
    const results = await Promise.all(handles.map((handle) => claim(account.token, { handle, displayName: 'Greedy' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results) if (r.status !== 201) expectError(r, 409, 'already_creator');
    const won = handles[results.findIndex((r) => r.status === 201)]!;
    expect(await myCreator(account.token)).toMatchObject({ handle: won });
    await expectHandleFree(handles.find((h) => h !== won)!);
  });

  it('an approved, a suspended and a pending creator are all refused a second handle', async () => {
    for (const status of ['approved', 'suspended', 'pending'] as const) {
      const c = await creator(status);
      const handle = uniqueHandle('again');
      expectError(await claim(c.token, { handle, displayName: 'Again' }), 409, 'already_creator');
      expect(await myCreator(c.token)).toMatchObject({ handle: c.handle, status });
    }
  });
});

describe('GET /v1/creators/:handle (public profile)', () => {
  it('shows an approved creator with their published series, episodes and prices, cacheably', async () => {
    const { owner, series, trailer, ep2, ep3 } = await publishedSeries();
    const res = await call('GET', `/v1/creators/${owner.handle}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toMatch(/public/);
    expect(res.json.creator).toEqual({ handle: owner.handle, displayName: 'Demo Creator', verified: null });
    expect(res.json.series).toHaveLength(1);
    const s = res.json.series[0];
    expect(s).toMatchObject({
      id: series.id,
      currency: 'USD',
      bundlePrice: 499,
      episodeCount: 3,
      freeEpisodeCount: 1,
      priceRange: { min: 199, max: 299 },
      creator: { handle: owner.handle, displayName: 'Demo Creator', verified: null },
    });
    expect(s.episodes.map((e: any) => [e.id, e.number, e.price, e.free])).toEqual([
      [trailer.id, 1, null, true],
      [ep2.id, 2, 199, false],
      [ep3.id, 3, 299, false],
    ]);
  });

  it('finds the creator whatever the casing, and with a leading @ (by a redirect to the canonical address)', async () => {
    const { owner } = await publishedSeries();
    for (const variant of [owner.handle.toUpperCase(), `@${owner.handle}`, encodeURIComponent(`@${owner.handle}`)]) {
      const res = await call('GET', `/v1/creators/${variant}`);
      expect(res.status).toBe(301);
      const followed = await call('GET', res.headers.get('Location')!);
      expect(followed.json.creator.handle).toBe(owner.handle);
    }
  });

  it('shows an approved creator with nothing published as an empty profile', async () => {
    const c = await creator('approved');
    await createSeries(c.token, { title: 'Unfinished draft' });
    const res = await call('GET', `/v1/creators/${c.handle}`);
    expect(res.status).toBe(200);
    expect(res.json.series).toEqual([]);
    expect(res.text).not.toContain('Unfinished draft');
  });

  it('never contains drafts, unpublished series, emails or user ids, whoever asks', async () => {
    const { owner, series } = await publishedSeries();
    const draft = await createSeries(owner.token, { title: 'Secret draft title' });
    await addEpisode(owner.token, draft.id, { title: 'Secret draft episode', price: 399 });
    const other = await createSeries(owner.token, { title: 'Pulled series' });
    await addEpisode(owner.token, other.id, { title: 'Pulled episode' });
    expect((await call('POST', `/v1/series/${other.id}/publish`, { token: owner.token })).status).toBe(200);
    expect((await call('POST', `/v1/series/${other.id}/unpublish`, { token: owner.token })).status).toBe(200);

    const viewer = await signup();
    const otherCreator = await creator('approved');
    for (const token of [null, viewer.token, otherCreator.token, owner.token, await admin()]) {
      const res = await call('GET', `/v1/creators/${owner.handle}`, { token });
      expect(res.status).toBe(200);
      expect(res.json.series.map((s: { id: string }) => s.id)).toEqual([series.id]);
      for (const secret of [
        draft.id,
        other.id,
        'Secret draft',
        'Pulled',
        owner.email,
        owner.user.id,
        '@example.test',
      ]) {
        expect(res.text).not.toContain(secret);
      }
      expect(res.text).not.toMatch(/usr_|email|password|user_?id/i);
      expect(Object.keys(res.json.creator).sort()).toEqual(['displayName', 'handle', 'verified']);
    }
  });

  it('answers 404 for a pending creator, even to that creator', async () => {
    const c = await creator('pending');
    await createSeries(c.token);
    expectError(await call('GET', `/v1/creators/${c.handle}`), 404, 'not_found');
    expectError(await call('GET', `/v1/creators/${c.handle}`, { token: c.token }), 404, 'not_found');
  });

  it('answers 404 for a suspended creator, even with published series and to an admin', async () => {
    const { owner, series } = await publishedSeries();
    expect((await call('GET', `/v1/creators/${owner.handle}`)).status).toBe(200);
    expect((await call('POST', `/v1/admin/creators/${owner.handle}/suspend`, { token: await admin() })).status).toBe(
      200,
    );
    for (const token of [null, owner.token, await admin()]) {
      const res = await call('GET', `/v1/creators/${owner.handle}`, { token });
      expectError(res, 404, 'not_found');
      expect(res.text).not.toContain(series.id);
    }
  });

  it('answers 404 for an unknown handle, and the same 404 as for a pending one', async () => {
    const pending = await creator('pending');
    const unknown = await call('GET', `/v1/creators/${uniqueHandle('ghost')}`);
    const hidden = await call('GET', `/v1/creators/${pending.handle}`);
    expectError(unknown, 404, 'not_found');
    expectError(hidden, 404, 'not_found');
    expect(hidden.json).toEqual(unknown.json);
  });

  it('answers 400 for a malformed handle', async () => {
    for (const bad of ['a', 'x'.repeat(25), 'bad-handle', 'trailing.']) {
      expectInvalid(await call('GET', `/v1/creators/${bad}`));
    }
  });
});

describe('GET /v1/creators/:handle canonical address', () => {
  it('redirects /@Name and other spellings to the one cached address', async () => {
    const c = await creator();
    const res = await call('GET', `/v1/creators/@${c.handle.toUpperCase()}`);
    expect(res.status).toBe(301);
    expect(res.headers.get('Location')).toBe(`/v1/creators/${c.handle}`);
  });
});
