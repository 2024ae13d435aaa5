import { seriesIdSchema } from '@series/core';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../lib/context.js';
import { validate } from '../lib/validate.js';
import { isSeriesOf, ownedInSeries } from './queries.js';

/**
 * What the storefront's script asks on every page: who is looking and what they own of the page's series.
 * Always 200 (signed out is an answer, not an error: a public page must not log a failed request); like every
 * API answer that does not say otherwise, never cached.
 */
export const viewerRoutes = new Hono<AppEnv>().get(
  '/viewer',
  validate('query', z.strictObject({ seriesId: seriesIdSchema.optional() })),
  async (c) => {
    const session = c.var.session;
    const { seriesId } = c.req.valid('query');
    if (!session) {
      return c.json(
        { signedIn: false, email: null, isCreator: false, owned: { wholeSeries: false, episodeIds: [] as string[] } },
        200,
      );
    }
    let isCreator = false;
    let owned = { wholeSeries: false, episodeIds: [] as string[] };
    if (seriesId) {
      const creatorId = session.creator?.id;
      const [mine, bought] = await Promise.all([
        creatorId ? isSeriesOf(c.env.DB, seriesId, creatorId) : false,
        ownedInSeries(c.env.DB, session.user.id, seriesId),
      ]);
      isCreator = mine;
      owned = bought;
    }
    return c.json({ signedIn: true, email: session.user.email, isCreator, owned }, 200);
  },
);
