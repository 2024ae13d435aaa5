import { Hono } from 'hono';
import { readAsUser } from '../auth/middleware.js';
import { SESSION_USER } from '../auth/queries.js';
import type { AppEnv } from '../lib/context.js';
import { notFound } from '../lib/errors.js';
import { purchaseIdParam } from '../lib/params.js';
import { isoOrNull } from '../lib/time.js';
import {
  buyerPurchaseSql,
  findBuyerPurchase,
  librarySql,
  libraryOrder,
  listLibrary,
  toPurchase,
  type LibraryRow,
  type PurchaseRow,
} from '../ledger/queries.js';
import { firstInLedgers, fromEveryLedger, ledgerInDirectory } from '../ledger/placement.js';
import { giftOrder, giftsSql, listGifts, toGift, type GiftListRow } from '../ledger/gift-queries.js';

const GIFT_PRICE_UNSAID = {
  amount: null,
  listAmount: null,
  discountAmount: null,
  taxAmount: null,
  refundedAmount: null,
};

/** The caller's purchases: hot reads, each one round trip with the session (mounted before `loadSession`). */
export const purchaseRoutes = new Hono<AppEnv>()
  /** Everything the caller bought ("Purchased content"), newest first. */
  .get('/me/purchases', async (c) => {
    // One round trip while every ledger is the directory's own database; with shards, the session, then every
    // ledger at once (a buyer's purchases span creators), merged newest first.
    let results: LibraryRow[];
    if (ledgerInDirectory(c.env)) {
      const read = await readAsUser(c, (bound) => [bound(librarySql(SESSION_USER))]);
      results = (read.results[0]?.results ?? []) as unknown as LibraryRow[];
    } else {
      const { user } = await readAsUser(c, () => []);
      results = (await fromEveryLedger(c.env, (db) => listLibrary(db, user.id))).sort(libraryOrder);
    }
    return c.json(
      {
        purchases: results.map((r) => ({
          ...toPurchase(r),
          // What the giver paid is theirs to know: a gift received says what it is, never its price.
          ...(r.gift_received === 1 ? GIFT_PRICE_UNSAID : {}),
          paidAt: isoOrNull(r.paid_at),
          series: { id: r.series_id, slug: r.series_slug, title: r.series_title, coverUrl: r.cover_url },
          creator: { handle: r.handle, displayName: r.display_name },
          episode: r.episode_id ? { id: r.episode_id, title: r.episode_title, number: r.episode_number } : null,
          /** A gift someone gave the caller (its receipt is the giver's). */
          giftReceived: r.gift_received === 1,
        })),
      },
      200,
    );
  })
  /** The gifts the caller gave: to whom, what, when, and whether each was claimed (never what else they own). */
  .get('/me/gifts', async (c) => {
    // As for purchases: one round trip while every ledger is the directory's; with shards, every ledger at once.
    let rows: GiftListRow[];
    if (ledgerInDirectory(c.env)) {
      const read = await readAsUser(c, (bound) => [bound(giftsSql(SESSION_USER))]);
      rows = (read.results[0]?.results ?? []) as unknown as GiftListRow[];
    } else {
      const { user } = await readAsUser(c, () => []);
      rows = (await fromEveryLedger(c.env, (db) => listGifts(db, user.id))).sort(giftOrder);
    }
    return c.json({ gifts: rows.map(toGift) }, 200);
  })
  /** One of the caller's purchases, any status: clients poll it while the checkout tab is open. */
  .get('/purchases/:id', purchaseIdParam, async (c) => {
    const id = c.req.valid('param').id;
    let row: PurchaseRow | null | undefined;
    if (ledgerInDirectory(c.env)) {
      const read = await readAsUser(c, (bound) => [bound(buyerPurchaseSql('?3', SESSION_USER), id)]);
      row = read.results[0]?.results[0] as PurchaseRow | undefined;
    } else {
      // The purchase id does not say whose ledger it is in: every ledger is asked at once.
      const { user } = await readAsUser(c, () => []);
      row = await firstInLedgers(c.env, (db) => findBuyerPurchase(db, id, user.id));
    }
    if (!row) throw notFound('Purchase');
    return c.json({ purchase: toPurchase(row) }, 200);
  });
