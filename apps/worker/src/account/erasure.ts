import { allLedgers, directory } from '../ledger/placement.js';
import { claimErasures, eraseBuyer, finishErasure } from './queries.js';

/** The ledgers other than the directory's own database: where a deleted buyer's purchases may also be. */
export const otherLedgers = (env: Env) => allLedgers(env).filter((db) => db !== directory(env));

/**
 * Finishes an account's deletion on every other ledger (shards: ledger/placement.ts), as the directory's batch
 * did in its own (`deleteAccount`), all at once; the record of it goes once every one did. Whether they all did:
 * otherwise the record stays, and the cron tries again (`retryErasures`).
 */
export async function eraseElsewhere(env: Env, userId: string, anonymous: string): Promise<boolean> {
  const done = await Promise.allSettled(otherLedgers(env).map((db) => eraseBuyer(db, userId, anonymous)));
  const failed = done.filter((d) => d.status === 'rejected');
  if (failed.length) {
    console.error('an account deletion is left to finish on a ledger shard', userId, failed);
    return false;
  }
  await finishErasure(directory(env), userId);
  return true;
}

/** Deletions finished per cron run at most; the next run takes the rest. */
const ERASURES_PER_RUN = 25;

/** The cron: deletions a shard could not finish when they were made are tried again. How many finished. */
export async function retryErasures(env: Env): Promise<number> {
  let finished = 0;
  for (const row of await claimErasures(directory(env), ERASURES_PER_RUN)) {
    if (await eraseElsewhere(env, row.user_id, row.anonymous)) finished++;
  }
  return finished;
}
