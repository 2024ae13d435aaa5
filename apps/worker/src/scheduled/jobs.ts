import { expireClaims } from '../creators/queries.js';
import { pruneViewMarks, pruneViewMessages } from '../funnel/queries.js';
import { keptViewMessagesFrom } from '../funnel/view-queue.js';
import { utcDay } from '../lib/time.js';
import { sendDailySummaries } from '../mail/notices.js';
import { grantOverdueRefundRequests } from '../payments/refunds.js';
import { pruneMailRequests } from '../mail/queries.js';
import { retryErasures } from '../account/erasure.js';

/** Claims expired per statement batch, and batches per run at most: a backlog drains over the next runs. */
const CLAIMS_PER_BATCH = 50;
const MAX_BATCHES = 20;

/**
 * The worker's Cron Trigger (`triggers.crons` in wrangler.jsonc: hourly). Handle claims still pending
 * CLAIM_EXPIRY_DAYS after they were made expire, which frees their handles (audited as the platform's doing), and
 * the view marks of days before today are deleted (they can no longer match: a mark names its day), and so are
 * the ids of applied view messages the queue can no longer deliver (funnel/view-queue.ts VIEW_MESSAGE_DAYS).
 */
export async function runScheduledJobs(controller: ScheduledController, env: Env): Promise<void> {
  const now = controller.scheduledTime;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    if ((await expireClaims(env.DB, now, CLAIMS_PER_BATCH)) < CLAIMS_PER_BATCH) break;
  }
  await pruneViewMarks(env.DB, utcDay(now));
  await pruneViewMessages(env.DB, keptViewMessagesFrom(now));
  // Mail requests older than the hourly limits' window count for nothing.
  await pruneMailRequests(env.DB, now);
  // Yesterday's sales (UTC) for the creators who asked for a daily summary, once each (a run that finds it sent
  // already skips it).
  await sendDailySummaries(env, utcDay(now - 24 * 60 * 60 * 1000));
  // Buyers' refund requests nobody answered within 7 days are granted.
  await grantOverdueRefundRequests(env, now);
  // Account deletions a ledger shard could not finish at the time are tried again.
  await retryErasures(env);
}
