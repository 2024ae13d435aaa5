import { seriesIdSchema } from '@series/core';
import { Hono } from 'hono';
import { z } from 'zod';
import { bundleOfferFor } from '../ledger/sale-queries.js';
import type { AppEnv } from '../lib/context.js';
import { validate } from '../lib/validate.js';
import { isSeriesOf, ownedInSeries } from './queries.js';

/**
 * What the storefront's script asks on every page: who is looking and what they own of the page's series.
 * Always 200 (signed out is an answer, not an error: a public page must not log a failed request); like every
 * API answer that does not say otherwise, never cached: it carries this viewer's own "buy all" price.
 */
export const viewerRoutes = new Hono<AppEnv>().get(
  '/viewer',
  validate('query', z.strictObject({ seriesId: seriesIdSchema.optional() })),
  async (c) => {
    const session = c.var.session;
    const { seriesId } = c.req.valid('query');
    /**
     * "Buy all" at this viewer's own price (less what they paid for its episodes): null when it is not on offer to
     * them, and signed out (the page shows the list price, and an anonymous page view costs no database read).
     */
    let wholeSeries: Awaited<ReturnType<typeof bundleOfferFor>> = null;
    if (!session) {
      return c.json(
        {
          signedIn: false,
          email: null,
          isCreator: false,
          owned: { wholeSeries: false, episodeIds: [] as string[] },
          offers: { wholeSeries },
        },
        200,
      );
    }
    let isCreator = false;
    let owned = { wholeSeries: false, episodeIds: [] as string[] };
    if (seriesId) {
      const creatorId = session.creator?.id;
      const [mine, bought, offer] = await Promise.all([
        creatorId ? isSeriesOf(c.env.DB, seriesId, creatorId) : false,
        ownedInSeries(c.env.DB, session.user.id, seriesId),
        bundleOfferFor(c.env.DB, seriesId, session.user.id),
      ]);
      isCreator = mine;
      owned = bought;
      wholeSeries = mine || bought.wholeSeries ? null : offer;
    }
    // Until the address is verified, the page asks for it (buying still works).
    const emailVerified = session.user.emailVerifiedAt != null;
    return c.json(
      { signedIn: true, email: session.user.email, emailVerified, isCreator, owned, offers: { wholeSeries } },
      200,
    );
  },
);
