import { checkoutSchema, idempotencyKeySchema, splitPayout, type Currency } from '@series/core';
import { Hono } from 'hono';
import { z } from 'zod';
import { currentCommissionBps } from '../admin/commission.js';
import { requireUser } from '../auth/middleware.js';
import type { AppEnv } from '../lib/context.js';
import { NO_STORE } from '../lib/cache.js';
import { ApiError, notFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { limitPerAccount } from '../lib/rate-limit.js';
import { utcDay } from '../lib/time.js';
import { validate } from '../lib/validate.js';
import { paymentProvider, type PaymentProvider } from './providers.js';
import { itemKey, ownsEpisode, ownsSeries, toPurchase, type PurchaseRow } from './rows.js';

type CheckoutRequest = z.infer<typeof checkoutSchema>;

interface SaleItem {
  creatorId: string;
  creatorUserId: string;
  stripeAccountId: string | null;
  stripeChargesEnabled: number;
  seriesId: string;
  episodeId: string | null;
  currency: Currency;
  price: number | null;
  description: string;
}

/** What is on sale right now, priced from the database (never from the client). */
async function findSaleItem(db: D1Database, item: CheckoutRequest): Promise<SaleItem> {
  const onSale = `s.status = 'published' AND c.status = 'approved'`;
  const creator = `c.id AS creator_id, c.user_id AS creator_user_id, c.stripe_account_id, c.stripe_charges_enabled`;
  const row =
    'episodeId' in item
      ? await db
          .prepare(
            `SELECT ${creator}, s.id AS series_id, e.id AS episode_id, s.currency, e.price,
                    s.title || ' — ' || e.title AS description
             FROM episodes e JOIN series s ON s.id = e.series_id JOIN creators c ON c.id = s.creator_id
             WHERE e.id = ? AND ${onSale}`,
          )
          .bind(item.episodeId)
          .first<Record<string, unknown>>()
      : await db
          .prepare(
            `SELECT ${creator}, s.id AS series_id, NULL AS episode_id, s.currency, s.bundle_price AS price,
                    s.title || ' — whole series' AS description
             FROM series s JOIN creators c ON c.id = s.creator_id WHERE s.id = ? AND ${onSale}`,
          )
          .bind(item.seriesId)
          .first<Record<string, unknown>>();
  if (!row) throw notFound('episodeId' in item ? 'Episode' : 'Series');
  return {
    creatorId: row.creator_id as string,
    creatorUserId: row.creator_user_id as string,
    stripeAccountId: row.stripe_account_id as string | null,
    stripeChargesEnabled: row.stripe_charges_enabled as number,
    seriesId: row.series_id as string,
    episodeId: row.episode_id as string | null,
    currency: row.currency as Currency,
    price: row.price as number | null,
    description: String(row.description).slice(0, 250),
  };
}

const findByKey = (db: D1Database, buyerId: string, key: string) =>
  db.prepare('SELECT * FROM purchases WHERE buyer_id = ? AND idempotency_key = ?').bind(buyerId, key).first<PurchaseRow>();

/** The purchase's payment page, started once at the provider and stored, so retries get the same page. */
async function ensureCheckoutUrl(
  db: D1Database,
  provider: PaymentProvider,
  purchase: PurchaseRow,
  item: SaleItem,
  apiOrigin: string,
): Promise<PurchaseRow> {
  if (purchase.checkout_url || purchase.status !== 'pending') return purchase;
  let started: { url: string; ref: string | null };
  try {
    started = await provider.startCheckout({
      purchase,
      description: item.description,
      destinationAccount: item.stripeAccountId,
      apiOrigin,
    });
  } catch (err) {
    console.error('payment provider refused the checkout', err);
    throw new ApiError(502, 'payment_provider_unavailable', 'The payment provider is unavailable; retry with the same Idempotency-Key');
  }
  const row = await db
    .prepare(
      `UPDATE purchases SET checkout_url = COALESCE(checkout_url, ?2), provider_ref = COALESCE(provider_ref, ?3)
       WHERE id = ?1 RETURNING *`,
    )
    .bind(purchase.id, started.url, started.ref)
    .first<PurchaseRow>();
  return row ?? purchase;
}

const idempotencyHeader = validate('header', z.object({ 'idempotency-key': idempotencyKeySchema }));

function checkSameItem(purchase: PurchaseRow, request: CheckoutRequest): PurchaseRow {
  if (purchase.item_key !== itemKey(request)) {
    throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for another item');
  }
  return purchase;
}

export const checkoutRoutes = new Hono<AppEnv>().post(
  '/checkout',
  requireUser,
  limitPerAccount('CHECKOUT_LIMITER'),
  idempotencyHeader,
  validate('json', checkoutSchema),
  async (c) => {
    const db = c.env.DB;
    const buyerId = c.var.user.id;
    const request = c.req.valid('json');
    const key = c.req.valid('header')['idempotency-key'];
    const provider = paymentProvider(c.env);
    const origin = new URL(c.req.url).origin;
    const respond = (purchase: PurchaseRow, status: 200 | 201) => {
      c.header('Cache-Control', NO_STORE);
      return c.json({ purchaseId: purchase.id, checkoutUrl: purchase.checkout_url, purchase: toPurchase(purchase) }, status);
    };

    // A retry with the same key gets the same purchase back, whatever happened since.
    const previous = await findByKey(db, buyerId, key);
    if (previous) {
      checkSameItem(previous, request);
      if (previous.checkout_url || previous.status !== 'pending') return respond(previous, 200);
      return respond(await ensureCheckoutUrl(db, provider, previous, await findSaleItem(db, request), origin), 200);
    }

    const item = await findSaleItem(db, request);
    if (item.creatorUserId === buyerId) throw new ApiError(409, 'own_content', 'You cannot buy your own series');
    if (item.price === null) {
      throw item.episodeId
        ? new ApiError(409, 'episode_free', 'This episode is free: watch it without buying')
        : new ApiError(409, 'no_bundle_price', 'This series is sold per episode only');
    }
    const owned = item.episodeId
      ? await ownsEpisode(db, buyerId, item.episodeId, item.seriesId)
      : await ownsSeries(db, buyerId, item.seriesId);
    if (owned) throw new ApiError(409, 'already_owned', 'You already own this');
    provider.assertCanSell({ stripe_account_id: item.stripeAccountId, stripe_charges_enabled: item.stripeChargesEnabled });

    const bps = await currentCommissionBps(db);
    const { commission, payout } = splitPayout(item.price, bps);
    const now = Date.now();
    const purchaseId = newId('pur');
    await db.batch([
      db
        .prepare(
          `INSERT INTO purchases (id, buyer_id, creator_id, series_id, episode_id, item_key, amount, currency,
             commission_bps, commission_amount, payout_amount, status, provider, idempotency_key,
             created_at, expires_at, updated_at, return_to, source)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'pending', ?12, ?13, ?14, ?15, ?14, ?16, ?17)
           ON CONFLICT (buyer_id, idempotency_key) DO NOTHING`,
        )
        .bind(
          purchaseId,
          buyerId,
          item.creatorId,
          item.seriesId,
          item.episodeId,
          itemKey(request),
          item.price,
          item.currency,
          bps,
          commission,
          payout,
          provider.name,
          key,
          now,
          now + provider.checkoutTtlMs,
          request.returnTo ?? null,
          // A checkout started on the storefront (it has a way back) counts for its link's source, '' for none.
          request.returnTo !== undefined ? (request.source ?? '') : (request.source ?? null),
        ),
      // Counted for the funnel only if this request created the purchase (not on a same-key race).
      db
        .prepare(
          `INSERT INTO funnel_daily (creator_id, day, series_id, episode_id, checkouts)
           SELECT creator_id, ?2, series_id, COALESCE(episode_id, ''), 1 FROM purchases WHERE id = ?1
           ON CONFLICT (creator_id, day, series_id, episode_id) DO UPDATE SET checkouts = checkouts + 1`,
        )
        .bind(purchaseId, utcDay(now)),
      db
        .prepare(
          `INSERT INTO source_daily (creator_id, day, series_id, source, checkouts)
           SELECT creator_id, ?2, series_id, source, 1 FROM purchases WHERE id = ?1 AND source IS NOT NULL
           ON CONFLICT (creator_id, day, series_id, source) DO UPDATE SET checkouts = checkouts + 1`,
        )
        .bind(purchaseId, utcDay(now)),
    ]);
    // Read back by key: a concurrent request with the same key may have inserted first.
    const purchase = checkSameItem((await findByKey(db, buyerId, key))!, request);
    return respond(await ensureCheckoutUrl(db, provider, purchase, item, origin), 201);
  },
);
