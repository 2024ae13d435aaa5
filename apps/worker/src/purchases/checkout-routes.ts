import { checkoutSchema, idempotencyKeySchema, normalizePromoCode } from '@series/core';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { loadSessionWith, requireUser } from '../auth/middleware.js';
import { jsonBody } from '../lib/body.js';
import { itemKey, toPurchase, type PurchaseRow } from '../ledger/queries.js';
import {
  attachCheckout,
  insertPurchase,
  pendingPurchase,
  readCheckout,
  readPromoCode,
  withPromoCode,
  type KeyedPurchase,
  type SaleItem,
} from '../ledger/sale-queries.js';
import { applicableCode } from './promo-codes.js';
import { placedItemStatements } from './queries.js';
import { commissionBpsOf } from '../ledger/commission-queries.js';
import { ledgerFor, ledgerInDirectory } from '../ledger/placement.js';
import type { AppEnv } from '../lib/context.js';
import { ApiError, notFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { limitPerAccount } from '../lib/rate-limit.js';
import { validate } from '../lib/validate.js';
import { paymentProvider, type PaymentProvider } from '../payments/providers.js';

type CheckoutRequest = z.infer<typeof checkoutSchema>;

/** Opens the purchase's payment page at the provider; a provider that cannot be reached is a 502 to retry. */
async function startPage(provider: PaymentProvider, purchase: PurchaseRow, item: SaleItem, apiOrigin: string) {
  try {
    return await provider.startCheckout({
      purchase,
      description: item.description,
      destinationAccount: item.stripeAccountId,
      apiOrigin,
    });
  } catch (err) {
    console.error('payment provider refused the checkout', err);
    throw new ApiError(
      502,
      'payment_provider_unavailable',
      'The payment provider is unavailable; retry with the same Idempotency-Key',
    );
  }
}

/** The page of a purchase recorded without one, started once and stored, so retries get the same page. */
async function ensureCheckoutUrl(
  db: D1Database,
  provider: PaymentProvider,
  purchase: PurchaseRow,
  item: SaleItem,
  apiOrigin: string,
): Promise<PurchaseRow> {
  const started = await startPage(provider, purchase, item, apiOrigin);
  return (await attachCheckout(db, purchase.id, started)) ?? purchase;
}

/**
 * What the directory must say before a checkout when ledgers live in shards of their own: whose item it is and
 * the commission in force (`placedItemStatements`), read with the session (`loadSessionWith`): no round trip of its
 * own. Nothing while every ledger is the directory's own database (the checkout's batch reads the rate there).
 */
async function placementReads(c: Context<AppEnv>, db: D1Database) {
  if (ledgerInDirectory(c.env)) return [];
  const body = checkoutSchema.safeParse(await c.req.json().catch(() => null));
  return body.success ? placedItemStatements(db, body.data) : [];
}

/** The ledger that sells an item, and the commission in force when it was read apart (`readCheckout`). */
function ledgerOfItem(env: Env, item: CheckoutRequest, [placed, commission]: D1Result<Record<string, unknown>>[]) {
  const one = ledgerInDirectory(env);
  if (one) return { db: one, commissionBps: null };
  const creatorId = placed?.results[0]?.['creator_id'] as string | undefined;
  if (!creatorId) throw notFound('episodeId' in item ? 'Episode' : 'Series');
  return {
    db: ledgerFor(env, creatorId),
    commissionBps: commissionBpsOf(commission?.results[0] as { bps: number } | undefined),
  };
}

const unknownCode = () => new ApiError(422, 'promo_code_unknown', 'This promo code does not exist');

const idempotencyHeader = validate('header', z.object({ 'idempotency-key': idempotencyKeySchema }));

function checkSameItem(purchase: KeyedPurchase, request: CheckoutRequest): PurchaseRow {
  // A key used for a gift is another checkout than one for oneself, or than a gift of the same item to someone else.
  if (purchase.item_key !== itemKey(request) || purchase.gift_recipient !== (request.gift?.email ?? null)) {
    throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for another item');
  }
  return purchase;
}

/** Mounted before `loadSession`: it reads the session itself, with the item's placement (`loadSessionWith`). */
export const checkoutRoutes = new Hono<AppEnv>().post(
  '/checkout',
  jsonBody,
  loadSessionWith(placementReads),
  requireUser,
  limitPerAccount('CHECKOUT_LIMITER'),
  idempotencyHeader,
  validate('json', checkoutSchema),
  async (c) => {
    // Receipts go by mail: an account made with "Continue with TikTok" adds its address first (POST /v1/me/credentials).
    if (!c.var.user.email) {
      throw new ApiError(409, 'email_required', 'Add an email address for your receipts first', {
        issues: [{ path: 'email', message: 'Add an email address for your receipts first' }],
      });
    }
    const buyerId = c.var.user.id;
    const request = c.req.valid('json');
    const key = c.req.valid('header')['idempotency-key'];
    const provider = paymentProvider(c.env);
    const origin = new URL(c.req.url).origin;
    // A code typed as no code can be written is unknown, like one nobody has (never a validation error).
    const typedCode = request.promoCode === undefined ? null : normalizePromoCode(request.promoCode);
    if (request.promoCode !== undefined && typedCode === null) throw unknownCode();
    const respond = (purchase: PurchaseRow, status: 200 | 201) => {
      return c.json(
        {
          purchaseId: purchase.id,
          checkoutUrl: purchase.checkout_url,
          purchase: toPurchase(purchase),
          // Whether the code typed lowered the price (a discount in force may already be lower: it is then unused).
          ...(typedCode === null ? {} : { promoCode: { code: typedCode, applied: purchase.promo_code_id != null } }),
        },
        status,
      );
    };

    // The item's creator's ledger sells it: the directory said whose it is with the session (with shards).
    const { db, commissionBps } = ledgerOfItem(c.env, request, c.var.sessionReads ?? []);
    // One round trip decides: a retry with the same key gets the same purchase back, whatever happened since.
    const now = Date.now();
    const gift = request.gift ? { email: request.gift.email, message: request.gift.message || null } : null;
    if (gift && gift.email === c.var.user.email) {
      throw new ApiError(422, 'gift_to_self', 'A gift goes to someone else: buy it for yourself instead', {
        issues: [{ path: 'gift.email', message: 'This is your own address' }],
      });
    }
    const reads = await readCheckout(db, request, buyerId, key, now, typedCode, gift !== null, commissionBps);
    if (reads.previous) {
      const previous = checkSameItem(reads.previous, request);
      if (previous.checkout_url || previous.status !== 'pending' || !reads.item) return respond(previous, 200);
      // A purchase recorded before its page was (by an earlier version): its page is started now.
      return respond(await ensureCheckoutUrl(db, provider, previous, reads.item, origin), 200);
    }

    // The whole series is priced for this buyer: less what they already paid for its episodes (the ledger's rule);
    // a gift is priced as for anyone, and the giver may own it already.
    let item = reads.item;
    if (!item) throw notFound('episodeId' in request ? 'Episode' : 'Series');
    if (item.creatorUserId === buyerId) throw new ApiError(409, 'own_content', 'You cannot buy your own series');
    if (item.price === null) {
      throw item.episodeId
        ? new ApiError(409, 'episode_free', 'This episode is free: watch it without buying')
        : new ApiError(409, 'no_bundle_price', 'This series is sold per episode only');
    }
    if (reads.owned) throw new ApiError(409, 'already_owned', 'You already own this');
    // Nothing is sold that cannot be watched: a premium episode waits for its video ("coming soon").
    if (!item.ready) {
      throw item.episodeId
        ? new ApiError(409, 'episode_not_ready', 'This episode is coming soon: its video is not uploaded yet')
        : new ApiError(409, 'series_not_ready', 'This series is coming soon: none of its episodes can be watched yet');
    }
    // The code and the discounts in force do not stack: the lower price wins.
    if (typedCode !== null) item = withPromoCode(item, applicableCode(reads.promoCodes, item, now));
    if (request.expectedAmount !== undefined && request.expectedAmount !== item.price) {
      throw new ApiError(409, 'price_changed', 'The price changed since it was shown; check it and try again', {
        price: { amount: item.price, currency: item.currency, listAmount: item.fullPrice },
      });
    }
    provider.assertCanSell({
      stripe_account_id: item.stripeAccountId,
      stripe_charges_enabled: item.stripeChargesEnabled,
    });

    const pending = pendingPurchase(
      {
        id: newId('pur'),
        buyerId,
        item: { ...item, price: item.price! },
        itemKey: itemKey(request),
        idempotencyKey: key,
        commissionBps: reads.commissionBps,
        provider: provider.name,
        expiresAt: now + provider.checkoutTtlMs,
        returnTo: request.returnTo ?? null,
        // A checkout started on the storefront (it has a way back) counts for its link's source, '' for none.
        source: request.returnTo !== undefined ? (request.source ?? '') : (request.source ?? null),
        gift: gift !== null,
        separateCharge: provider.separateCharges,
      },
      now,
    );
    // The payment page is opened before the purchase is recorded, so recording it is one round trip and a
    // provider that fails leaves nothing behind. A concurrent request with the same key may record first: its
    // purchase is the one answered, and this page, which nobody is shown, lapses at the provider unpaid.
    const page = await startPage(provider, pending, item, origin);
    const recorded = await insertPurchase(db, { ...pending, checkout_url: page.url, provider_ref: page.ref }, gift);
    if (!recorded) {
      // The code stopped holding between the read and the write (another checkout took its last redemption, or
      // this buyer's other checkout took theirs): nothing was recorded, and the page lapses at the provider unpaid.
      const again = await readPromoCode(db, typedCode!, buyerId);
      applicableCode(again, item, Date.now());
      throw new ApiError(409, 'promo_code_exhausted', 'This promo code has been used up');
    }
    return respond(checkSameItem(recorded, request), 201);
  },
);
