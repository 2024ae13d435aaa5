import {
  currencySchema,
  formatMoney,
  monthOf,
  monthSchema,
  PAYOUT_THRESHOLDS,
  payoutBalances,
  payoutRecordSchema,
} from '@series/core';
import { Hono } from 'hono';
import { z } from 'zod';
import { requireAdmin } from '../auth/middleware.js';
import type { AppEnv } from '../lib/context.js';
import { requireCreator } from '../auth/middleware.js';
import { findCreatorByHandle } from '../creators/queries.js';
import { ApiError, notFound } from '../lib/errors.js';
import { validate } from '../lib/validate.js';
import { allStatements, creatorStatements, monthPurchases, recordPayout } from './queries.js';
import { publicOrigin, sendPayoutMail } from '../mail/notices.js';
import { allLedgers, directory, ledgerFor } from '../ledger/placement.js';

/** A month's purchase list is for reading on screen; past this many, the response says it was cut. */
const PURCHASES_PER_MONTH = 1000;

const purchasesQuery = z.strictObject({ month: monthSchema, currency: currencySchema.optional() });
/** Newest month first, currencies in code order within a month. */
const newestFirst = <T extends { month: string; currency: string }>(rows: T[]) =>
  rows.sort((a, b) => b.month.localeCompare(a.month) || a.currency.localeCompare(b.currency));

const adminQuery = z.strictObject({ status: z.enum(['open', 'due', 'carried_over', 'paid']).optional() });

/**
 * Monthly payout statements. Earnings are totalled per UTC month and currency from the sales rollups;
 * a closed month is paid once its balance reaches the currency's threshold (`PAYOUT_THRESHOLDS`), and an
 * admin records each payout made, which the creator's statements then show.
 */
export const payoutRoutes = new Hono<AppEnv>()
  .get('/payouts', requireCreator, async (c) => {
    const now = Date.now();
    const statements = await creatorStatements(ledgerFor(c.env, c.var.creator.id), c.var.creator.id, now);
    return c.json(
      {
        currentMonth: monthOf(now),
        thresholds: PAYOUT_THRESHOLDS,
        balances: payoutBalances(statements),
        statements: newestFirst(statements),
      },
      200,
    );
  })
  .get('/payouts/purchases', requireCreator, validate('query', purchasesQuery), async (c) => {
    const { month, currency } = c.req.valid('query');
    const result = await monthPurchases(
      ledgerFor(c.env, c.var.creator.id),
      c.var.creator.id,
      month,
      currency ?? null,
      PURCHASES_PER_MONTH,
    );
    return c.json({ month, ...result }, 200);
  })
  .get('/admin/payouts', requireAdmin, validate('query', adminQuery), async (c) => {
    const { status } = c.req.valid('query');
    const now = Date.now();
    // Every creator's: each ledger's statements, asked at once.
    const statements = (await Promise.all(allLedgers(c.env).map((db) => allStatements(db, now))))
      .flat()
      .filter((s) => !status || s.status === status);
    return c.json({ currentMonth: monthOf(now), statements: newestFirst(statements) }, 200);
  })
  .post('/admin/payouts', requireAdmin, validate('json', payoutRecordSchema), async (c) => {
    const { handle, month, currency } = c.req.valid('json');
    const creator = await findCreatorByHandle(directory(c.env), handle);
    if (!creator) throw notFound('Creator');
    const db = ledgerFor(c.env, creator.id);
    const now = Date.now();
    const find = async () =>
      (await creatorStatements(db, creator.id, now)).find((s) => s.month === month && s.currency === currency);
    const statement = await find();
    // Recording again is not an error: the first record stands, and the caller learns it.
    if (statement?.status === 'paid') return c.json({ statement, recorded: false }, 200);
    if (month >= monthOf(now)) {
      throw new ApiError(
        409,
        'month_open',
        `${month} has not closed yet; its earnings can be paid out from next month`,
      );
    }
    if (!statement) throw new ApiError(404, 'no_earnings', `@${handle} earned nothing in ${currency} in ${month}`);
    if (statement.status === 'carried_over') {
      throw new ApiError(
        409,
        'below_threshold',
        `The balance of ${formatMoney(statement.balance, currency)} is below the payout threshold of ` +
          `${formatMoney(statement.threshold, currency)}; it carries over to the next month`,
      );
    }
    const recorded = await recordPayout(db, {
      creatorId: creator.id,
      handle,
      month,
      currency,
      amount: statement.balance,
      actorId: c.var.user.id,
      now,
    });
    const after = await find();
    // The creator is told once, when it is recorded.
    if (recorded) {
      const origin = publicOrigin(c.env, new URL(c.req.url).origin)!;
      await sendPayoutMail(c.env, origin, creator.id, { amount: statement.balance, currency, month }).catch((err) =>
        console.error('payout mail', err),
      );
    }
    return c.json({ statement: after ?? statement, recorded }, recorded ? 201 : 200);
  });
