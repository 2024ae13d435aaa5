import { cancelPurchase, openCheckoutsOffSale, type SaleScope } from '../ledger/sale-queries.js';
import { paymentProvider } from './providers.js';
import { ledgerFor } from '../ledger/placement.js';

/**
 * Closing a sale window in the background. When a creator is suspended, or a series goes off sale (unpublished,
 * its last episode deleted) or is deleted, the checkouts still open for it are closed at the payment provider, so
 * nobody pays for what is no longer sold. The request that closed the window only queues a message (a Cloudflare
 * Queue, `SALE_WINDOW` in wrangler.jsonc): the provider's calls, one per open checkout, are made by the consumer,
 * with the queue's retries when the provider is unreachable. A payment that still arrives (a buyer paying while
 * the message waits) completes nothing: completion holds the same sale-window rule for every provider, and the
 * webhook refunds it (stripe-events.ts).
 */
export type SaleWindowMessage =
  /** Close the open checkouts of a creator (`seriesId` null) or of one series, from purchase id `after` on. */
  | { kind: 'off_sale'; creatorId: string; seriesId: string | null; after?: string }
  /** Close these provider sessions: their purchases went with a deleted episode or series. */
  | { kind: 'deleted'; sessions: string[] };

/** Checkouts closed per message; a longer list continues in a follow-up message (each has its own limits). */
export const CHECKOUTS_PER_MESSAGE = 25;

/**
 * Queues the closing of a sale window, after the write that closed it. Never fails the request: the window is
 * closed already (nothing new can be bought), and a payment that slips through is refunded.
 */
export async function queueSaleWindowClosing(env: Env, message: SaleWindowMessage): Promise<void> {
  if (message.kind === 'deleted' && message.sessions.length === 0) return;
  try {
    await env.SALE_WINDOW.send(message, { contentType: 'json' });
  } catch (err) {
    console.error('could not queue the closing of a sale window', message, err);
  }
}

/** Closes what one message names; throws (the queue retries it) when the provider cannot be reached. */
export async function closeSaleWindow(env: Env, message: SaleWindowMessage): Promise<void> {
  const provider = paymentProvider(env);
  if (message.kind === 'deleted') {
    for (const session of message.sessions) await provider.expireSession(session);
    return;
  }
  const scope: SaleScope = { creatorId: message.creatorId, seriesId: message.seriesId };
  const db = ledgerFor(env, message.creatorId);
  const open = await openCheckoutsOffSale(db, scope, message.after ?? '', CHECKOUTS_PER_MESSAGE);
  for (const purchase of open) {
    // A checkout of another provider (a test checkout left on a server now selling through Stripe) has no
    // session here; the test page refuses to pay it once the series is off sale.
    if (purchase.provider !== provider.name) continue;
    // Only once the provider says the session can no longer be paid does the purchase end; one that was being
    // paid meanwhile ("not open": complete) is left to the provider's confirmation, which refunds it.
    if ((await provider.expireSession(purchase.provider_ref)) === 'closed') {
      await cancelPurchase(db, purchase.id, Date.now(), 'not_on_sale');
    }
  }
  if (open.length === CHECKOUTS_PER_MESSAGE) {
    await env.SALE_WINDOW.send({ ...message, after: open.at(-1)!.id }, { contentType: 'json' });
  }
}

/** The queue consumer: each message on its own, retried later (with a growing delay) when it fails. */
export async function consumeSaleWindows(batch: MessageBatch<SaleWindowMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      await closeSaleWindow(env, message.body);
      message.ack();
    } catch (err) {
      console.error('closing a sale window failed; retrying', message.body, err);
      message.retry({ delaySeconds: Math.min(30 * 2 ** (message.attempts - 1), 3600) });
    }
  }
}
