import { giftTokenSchema } from '@series/core';
import { Hono } from 'hono';
import { z } from 'zod';
import { requireUser } from '../auth/middleware.js';
import { claimGift, holdsGift, resendGiftToken, revokeGift } from '../ledger/gift-queries.js';
import { ledgerHolding } from '../ledger/placement.js';
import { toPurchase } from '../ledger/queries.js';
import type { AppEnv } from '../lib/context.js';
import { randomToken, sha256Hex } from '../lib/encoding.js';
import { ApiError, notFound } from '../lib/errors.js';
import { purchaseIdParam } from '../lib/params.js';
import { limitPerAccount } from '../lib/rate-limit.js';
import { validate } from '../lib/validate.js';
import { publicOrigin, sendGiftMail, sendGiftRefusedMail } from '../mail/notices.js';
import { issueRefund } from '../payments/refunds.js';

const claimSchema = z.strictObject({ token: giftTokenSchema });

/**
 * Gifts: the recipient claims one with its link's token; the giver re-sends its mail or refunds it while nobody
 * claimed it (their list is `GET /v1/me/gifts`, a hot read in purchases/routes.ts).
 */
export const giftRoutes = new Hono<AppEnv>()
  .post('/gifts/claim', requireUser, limitPerAccount('CHECKOUT_LIMITER'), validate('json', claimSchema), async (c) => {
    const hash = await sha256Hex(c.req.valid('json').token);
    // The link names no creator: the ledger holding it is found first (no read while there is one ledger).
    const ledger = await ledgerHolding(c.env, (db) => holdsGift(db, { tokenHash: hash }));
    if (!ledger) throw new ApiError(404, 'gift_not_found', 'This gift link does not work (any more)');
    const claim = await claimGift(ledger, hash, c.var.user.id, Date.now());
    switch (claim.outcome) {
      case 'claimed':
        return c.json({ purchase: toPurchase(claim.purchase!) }, 200);
      case 'already_owned':
        if (claim.firstRefusal && claim.purchaseId) {
          const origin = publicOrigin(c.env, new URL(c.req.url).origin)!;
          await sendGiftRefusedMail(c.env, ledger, origin, claim.purchaseId);
        }
        throw new ApiError(
          409,
          'gift_already_owned',
          'You already own this, so the gift was not added; its giver is told and may refund it',
        );
      case 'already_claimed':
        throw new ApiError(409, 'gift_already_claimed', 'This gift was already claimed by another account');
      case 'refunded':
        throw new ApiError(410, 'gift_refunded', 'This gift was refunded and can no longer be claimed');
      default:
        throw new ApiError(404, 'gift_not_found', 'This gift link does not work (any more)');
    }
  })
  .post('/me/gifts/:id/resend', requireUser, purchaseIdParam, async (c) => {
    const id = c.req.valid('param').id;
    const ledger = await ledgerHolding(c.env, (db) => holdsGift(db, { purchaseId: id, giverId: c.var.user.id }));
    if (!ledger) throw notFound('Gift');
    const token = randomToken();
    const outcome = await resendGiftToken(ledger, id, c.var.user.id, await sha256Hex(token), Date.now());
    if (outcome === 'not_found') throw notFound('Gift');
    if (outcome === 'claimed') throw new ApiError(409, 'gift_already_claimed', 'This gift was claimed already');
    if (outcome === 'closed') throw new ApiError(409, 'gift_refunded', 'This gift was refunded');
    if (outcome === 'too_soon' || outcome === 'too_many') {
      c.header('Retry-After', outcome === 'too_soon' ? '600' : '86400');
      throw new ApiError(
        429,
        outcome === 'too_soon' ? 'gift_resend_too_soon' : 'gift_resend_limit',
        outcome === 'too_soon'
          ? 'This gift was sent less than 10 minutes ago; try again later'
          : 'This gift was sent 5 times already',
      );
    }
    await sendGiftMail(c.env, ledger, publicOrigin(c.env, new URL(c.req.url).origin)!, id, token);
    return c.json({ sent: true }, 202);
  })
  .post('/me/gifts/:id/refund', requireUser, purchaseIdParam, async (c) => {
    const id = c.req.valid('param').id;
    const ledger = await ledgerHolding(c.env, (db) => holdsGift(db, { purchaseId: id, giverId: c.var.user.id }));
    if (!ledger) throw notFound('Gift');
    const gift = await revokeGift(ledger, id, c.var.user.id, Date.now());
    if (!gift || gift.paid_at === null) throw notFound('Gift');
    // A claim that landed first wins: then the gift is the recipient's, and refunds go by the receipt's request.
    if (gift.claimed_at !== null) {
      throw new ApiError(409, 'gift_already_claimed', 'This gift was claimed: ask for a refund from its receipt');
    }
    if (gift.status === 'refunded') return c.json({ purchase: toPurchase(gift) }, 200);
    let done: Awaited<ReturnType<typeof issueRefund>>;
    try {
      done = await issueRefund(c.env, gift, {
        keepAccess: false,
        key: `gift:${id}`,
        actorId: c.var.user.id,
        reason: 'gift refunded by its giver before it was claimed',
      });
    } catch (err) {
      if (err instanceof ApiError) throw err;
      // The gift stays closed to claims; the same refund (same key) is made when the giver tries again.
      console.error('gift refund not made at the provider', id, err);
      throw new ApiError(502, 'payment_provider_unavailable', 'The refund could not be made now; try again');
    }
    return c.json({ purchase: toPurchase(done.purchase), refund: done.refund }, 200);
  });
