import { refundRequestSchema } from '@series/core';
import { Hono } from 'hono';
import { requireUser } from '../auth/middleware.js';
import type { AppEnv } from '../lib/context.js';
import { purchaseIdParam } from '../lib/params.js';
import { validate } from '../lib/validate.js';
import { findRefundRequestOf } from '../ledger/refund-queries.js';
import { findReceipt } from '../ledger/queries.js';
import { firstInLedgers, ledgerFor } from '../ledger/placement.js';
import { notFound } from '../lib/errors.js';
import { askForRefund, toRefundRequest } from './refund-requests.js';

/** A buyer asks the creator for a refund of a purchase (from its receipt page), and sees the answer. */
export const refundRequestRoutes = new Hono<AppEnv>()
  .post(
    '/purchases/:id/refund-request',
    requireUser,
    purchaseIdParam,
    validate('json', refundRequestSchema),
    async (c) => {
      const request = await askForRefund(c, c.req.valid('param').id, c.var.user.id, c.req.valid('json').reason);
      return c.json({ request: toRefundRequest(request) }, 201);
    },
  )
  .get('/purchases/:id/refund-request', requireUser, purchaseIdParam, async (c) => {
    const { id } = c.req.valid('param');
    // Only the buyer's own purchase: someone else's is a 404, like a missing one.
    const purchase = await firstInLedgers(c.env, (db) => findReceipt(db, id, c.var.user.id));
    if (!purchase) throw notFound('Purchase');
    const request = await findRefundRequestOf(ledgerFor(c.env, purchase.creator_id), id);
    return c.json({ request: request ? toRefundRequest(request) : null }, 200);
  });
