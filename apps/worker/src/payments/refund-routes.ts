import { idempotencyKeySchema, refundAnswerSchema, refundSchema } from '@series/core';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { isAdmin } from '../auth/config.js';
import type { AppEnv } from '../lib/context.js';
import { ApiError, notFound } from '../lib/errors.js';
import { purchaseIdParam } from '../lib/params.js';
import { validate } from '../lib/validate.js';
import {
  findRefundable,
  findRefundRequest,
  listRefundRequests,
  answerRefundRequest,
} from '../ledger/refund-queries.js';
import { toPurchase } from '../ledger/queries.js';
import { grantRefundRequest, issueRefund } from './refunds.js';
import { allLedgers, firstInLedgers, ledgerFor } from '../ledger/placement.js';

/** A creator's own ledger; for an admin (`creatorId` null), every ledger is asked. */
const sellerRead = <T>(env: Env, creatorId: string | null, read: (db: D1Database) => Promise<T | null>) =>
  creatorId ? read(ledgerFor(env, creatorId)) : firstInLedgers(env, read);

/**
 * Who may refund: the creator of the sale (their own sales only; another creator's is a 404) or an admin (any).
 * `seller` is the creator id to scope to, null for an admin.
 */
const seller = createMiddleware<
  AppEnv & { Variables: { seller: { creatorId: string | null; by: 'creator' | 'admin' } } }
>(async (c, next) => {
  const session = c.var.session;
  if (!session) throw new ApiError(401, 'unauthorized', 'Sign in first');
  if (isAdmin(c.env, session.user.email)) c.set('seller', { creatorId: null, by: 'admin' });
  else if (session.creator) c.set('seller', { creatorId: session.creator.id, by: 'creator' });
  else throw new ApiError(403, 'creator_required', 'Only the creator of a sale, or an admin, refunds it');
  await next();
});
const idempotencyHeader = validate('header', z.object({ 'idempotency-key': idempotencyKeySchema }));
const requestParam = validate('param', z.object({ id: z.string().regex(/^rfr_[0-9A-Za-z]{16,40}$/) }));

const toRequest = (r: Awaited<ReturnType<typeof listRefundRequests>>[number]) => ({
  id: r.id,
  purchaseId: r.purchase_id,
  reason: r.reason,
  status: r.status,
  answeredBy: r.answered_by,
  refundId: r.refund_id,
  createdAt: new Date(r.created_at).toISOString(),
  answeredAt: r.answered_at ? new Date(r.answered_at).toISOString() : null,
  item: { seriesTitle: r.series_title, episodeTitle: r.episode_title },
  amount: r.amount,
  refundedAmount: r.refunded_amount,
  currency: r.currency,
  paidAt: new Date(r.paid_at).toISOString(),
});

/** Refunds by sellers, and the buyers' refund requests they answer. */
export const refundRoutes = new Hono<AppEnv>()
  .post('/sales/:id/refunds', seller, purchaseIdParam, idempotencyHeader, validate('json', refundSchema), async (c) => {
    const { creatorId, by } = c.var.seller;
    const id = c.req.valid('param').id;
    const purchase = await sellerRead(c.env, creatorId, (db) => findRefundable(db, id, creatorId));
    if (!purchase) throw notFound('Sale');
    const order = c.req.valid('json');
    const done = await issueRefund(c.env, purchase, {
      amount: order.amount,
      keepAccess: order.keepAccess ?? false,
      key: c.req.valid('header')['idempotency-key'],
      actorId: c.var.session!.user.id,
      reason: order.reason ?? (by === 'admin' ? 'refunded by an admin' : 'refunded by the creator'),
    });
    return c.json({ refund: done.refund, purchase: toPurchase(done.purchase) }, 201);
  })
  .get('/refund-requests', seller, async (c) => {
    const { creatorId } = c.var.seller;
    const ledgers = creatorId ? [ledgerFor(c.env, creatorId)] : allLedgers(c.env);
    // Pending first, then newest first, as each ledger orders its own.
    const rows = (await Promise.all(ledgers.map((db) => listRefundRequests(db, creatorId))))
      .flat()
      .sort((a, b) => Number(b.status === 'pending') - Number(a.status === 'pending') || b.created_at - a.created_at)
      .slice(0, 200);
    return c.json({ requests: rows.map(toRequest) }, 200);
  })
  .post('/refund-requests/:id/grant', seller, requestParam, validate('json', refundAnswerSchema), async (c) => {
    const { creatorId, by } = c.var.seller;
    const id = c.req.valid('param').id;
    const request = await sellerRead(c.env, creatorId, (db) => findRefundRequest(db, id, creatorId));
    if (!request) throw notFound('Refund request');
    if (request.status !== 'pending') throw new ApiError(409, 'already_answered', 'This request was answered already');
    const refundId = await grantRefundRequest(
      c.env,
      request,
      by,
      c.var.session!.user.id,
      c.req.valid('json').keepAccess ?? false,
    );
    return c.json({ request: { id: request.id, status: 'granted', refundId } }, 200);
  })
  .post('/refund-requests/:id/decline', seller, requestParam, async (c) => {
    const { creatorId, by } = c.var.seller;
    const id = c.req.valid('param').id;
    const request = await sellerRead(c.env, creatorId, (db) => findRefundRequest(db, id, creatorId));
    if (!request) throw notFound('Refund request');
    const answered = await answerRefundRequest(ledgerFor(c.env, request.creator_id), {
      id: request.id,
      status: 'declined',
      by,
      refundId: null,
      now: Date.now(),
    });
    if (!answered) throw new ApiError(409, 'already_answered', 'This request was answered already');
    return c.json({ request: { id: request.id, status: 'declined' } }, 200);
  });
