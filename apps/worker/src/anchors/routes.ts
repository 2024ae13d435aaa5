import { publishAnchorsSchema } from '@series/core';
import { Hono } from 'hono';
import { requireAdmin } from '../auth/middleware.js';
import type { AppEnv } from '../lib/context.js';
import { errorBody } from '../lib/errors.js';
import { validate } from '../lib/validate.js';
import { latestAnchors, publishAnchors, toAnchorsDocument } from './queries.js';

/**
 * The same for everyone and changed only by a publish: browsers and the edge may keep it a few minutes,
 * and revalidate by ETag. The extension keeps it far longer itself (see its background/anchors.ts).
 */
const ANCHORS_CACHE = 'public, max-age=300, s-maxage=300';

const etagOf = (version: number) => `"anchors-v${version}"`;
const matches = (header: string | undefined, etag: string) =>
  !!header && header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);

/**
 * The browser extension's page anchors (selectors as data; see packages/core/src/anchors.ts). Public and
 * cacheable for the extension; published by admins, each publish a new version, audited.
 */
export const anchorRoutes = new Hono<AppEnv>()
  .get('/extension/anchors', async (c) => {
    const row = await latestAnchors(c.env.DB);
    c.header('Cache-Control', ANCHORS_CACHE);
    // Nothing published yet: the extension keeps its built-in set.
    if (!row) return c.json(errorBody('not_found', 'No extension anchors have been published'), 404);
    const etag = etagOf(row.version);
    c.header('ETag', etag);
    if (matches(c.req.header('If-None-Match'), etag)) return c.body(null, 304);
    return c.json(toAnchorsDocument(row), 200);
  })
  .put('/admin/extension/anchors', requireAdmin, validate('json', publishAnchorsSchema), async (c) => {
    const { anchors, expectedVersion } = c.req.valid('json');
    const row = await publishAnchors(c.env.DB, c.var.user.id, anchors, expectedVersion ?? null);
    if (!row) {
      const latest = await latestAnchors(c.env.DB);
      return c.json(
        errorBody(
          'version_conflict',
          `Version ${latest?.version ?? 0} is the latest, not ${expectedVersion}: reload and publish again`,
          {
            latestVersion: latest?.version ?? 0,
          },
        ),
        409,
      );
    }
    return c.json(toAnchorsDocument(row), 201);
  });
