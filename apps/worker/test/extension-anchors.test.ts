import { anchorsDocumentSchema } from '@series/core';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { exampleAnchors, publishAnchors } from './anchors-helpers';
import { admin, ADMIN_EMAIL, call, expectError, expectInvalid, signup } from './helpers';

const rows = async () =>
  (
    await env.DB.prepare('SELECT version FROM extension_anchors ORDER BY version').all<{ version: number }>()
  ).results.map((r) => r.version);
const audits = async () =>
  (
    await env.DB.prepare(
      `SELECT target, detail FROM audit_log WHERE action = 'extension.anchors.publish' ORDER BY created_at, rowid`,
    ).all<{ target: string; detail: string }>()
  ).results;

describe('GET /v1/extension/anchors and PUT /v1/admin/extension/anchors', () => {
  it('answers 404 before anything is published (the extension keeps its built-in set), cacheably', async () => {
    const res = await call('GET', '/v1/extension/anchors');
    expectError(res, 404, 'not_found');
    expect(res.headers.get('Cache-Control')).toMatch(/^public\b/);
  });

  it('serves what an admin published, public and cacheable, versioned, with an ETag', async () => {
    const published = await publishAnchors();
    expect(published.status).toBe(201);
    expect(published.json).toMatchObject({ version: 1, anchors: exampleAnchors });
    const res = await call('GET', '/v1/extension/anchors');
    expect(res.status).toBe(200);
    expect(anchorsDocumentSchema.parse(res.json)).toEqual({
      version: 1,
      publishedAt: published.json.publishedAt,
      anchors: exampleAnchors,
    });
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300, s-maxage=300');
    expect(res.headers.get('ETag')).toBe('"anchors-v1"');
    // Nothing about the caller changes it: signed in, it is the same answer.
    const viewer = await signup();
    expect((await call('GET', '/v1/extension/anchors', { token: viewer.token })).text).toBe(res.text);
    // Revalidation: 304 without a body while the version is the same.
    const again = await call('GET', '/v1/extension/anchors', { headers: { 'If-None-Match': '"anchors-v1"' } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('gives each publish the next version and audits it, with who did it', async () => {
    const before = (await rows()).at(-1) ?? 0;
    const next = { ...exampleAnchors, pages: { ...exampleAnchors.pages, feed: ['/', '/foryou', '/discover'] } };
    const res = await publishAnchors(next);
    expect(res.status).toBe(201);
    expect(res.json.version).toBe(before + 1);
    expect((await call('GET', '/v1/extension/anchors')).json).toMatchObject({ version: before + 1, anchors: next });
    expect(
      (await call('GET', '/v1/extension/anchors', { headers: { 'If-None-Match': `"anchors-v${before}"` } })).status,
    ).toBe(200);
    const log = await call('GET', '/v1/admin/audit', { token: await admin() });
    expect(log.json.entries[0]).toMatchObject({
      action: 'extension.anchors.publish',
      target: `v${before + 1}`,
      detail: { version: before + 1 },
      actor: ADMIN_EMAIL,
    });
  });

  it('refuses a lost update: expectedVersion must still be the latest', async () => {
    const latest = (await rows()).at(-1)!;
    const stale = await publishAnchors(exampleAnchors, { expectedVersion: latest - 1 });
    expectError(stale, 409, 'version_conflict');
    expect(stale.json.latestVersion).toBe(latest);
    expect((await rows()).at(-1)).toBe(latest);
    const fresh = await publishAnchors(exampleAnchors, { expectedVersion: latest });
    expect(fresh.status).toBe(201);
    expect(fresh.json.version).toBe(latest + 1);
  });

  it('refuses a document the schema refuses, and stores and audits nothing', async () => {
    const [versions, audited] = [await rows(), (await audits()).length];
    const bad: [string, unknown][] = [
      ['format', { ...exampleAnchors, format: 2 }],
      [
        'profile.anchors.0',
        { ...exampleAnchors, profile: { ...exampleAnchors.profile, anchors: ['a { color: red }'] } },
      ],
      ['profile.anchors', { ...exampleAnchors, profile: { ...exampleAnchors.profile, anchors: [] } }],
      [
        'feed.author.0.attribute',
        {
          ...exampleAnchors,
          feed: { ...exampleAnchors.feed, author: [{ selector: 'a', attribute: 'onclick=alert(1)' }] },
        },
      ],
      ['pages.feed.0', { ...exampleAnchors, pages: { ...exampleAnchors.pages, feed: ['javascript:alert(1)'] } }],
      ['', { ...exampleAnchors, script: 'alert(1)' }],
      ['video.scope', { ...exampleAnchors, video: { ...exampleAnchors.video, scope: undefined } }],
    ];
    for (const [path, anchors] of bad) {
      const res = await publishAnchors(anchors);
      expectInvalid(res);
      expect(
        res.json.error.issues.map((i: { path: string }) => i.path),
        JSON.stringify(anchors).slice(0, 80),
      ).toContain(path ? `anchors.${path}` : 'anchors');
    }
    expectInvalid(
      await call('PUT', '/v1/admin/extension/anchors', {
        token: await admin(),
        body: { anchors: exampleAnchors, expectedVersion: -1 },
      }),
    );
    expect(await rows()).toEqual(versions);
    expect(await audits()).toHaveLength(audited);
  });

  it('lets only admins publish', async () => {
    const versions = await rows();
    expectError(
      await call('PUT', '/v1/admin/extension/anchors', { body: { anchors: exampleAnchors } }),
      401,
      'unauthorized',
    );
    const viewer = await signup();
    expectError(
      await call('PUT', '/v1/admin/extension/anchors', { token: viewer.token, body: { anchors: exampleAnchors } }),
      403,
      'forbidden',
    );
    expect(await rows()).toEqual(versions);
  });

  it('gives concurrent publishes distinct versions, each audited once', async () => {
    const before = await rows();
    const results = await Promise.all(Array.from({ length: 8 }, () => publishAnchors()));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const versions = results.map((r) => r.json.version as number).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 8 }, (_, i) => (before.at(-1) ?? 0) + i + 1));
    const targets = (await audits()).map((a) => a.target);
    for (const v of versions) expect(targets.filter((t) => t === `v${v}`)).toHaveLength(1);
    // With expectedVersion, of several racing publishes only one wins.
    const latest = versions.at(-1)!;
    const raced = await Promise.all(
      Array.from({ length: 5 }, () => publishAnchors(exampleAnchors, { expectedVersion: latest })),
    );
    expect(raced.filter((r) => r.status === 201)).toHaveLength(1);
    expect(raced.filter((r) => r.status === 409)).toHaveLength(4);
  });

  it('keeps every version: published sets are never rewritten', async () => {
    await expect(
      env.DB.prepare('UPDATE extension_anchors SET document = ? WHERE version = 1').bind('{}').run(),
    ).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare('DELETE FROM extension_anchors').run()).rejects.toThrow(/append-only/);
  });
});
