import type { Mail } from './compose.js';
import { mailer } from './mailer.js';
import { sendPurchaseMails } from './notices.js';
import { insertMailFailure } from './queries.js';

/**
 * What the MAIL queue carries: a mail ready to send, or a notice that a purchase completed, which the consumer
 * turns into its mails (the receipt, a first sale's notice) with the reads they need: the request that completed
 * the purchase pays one queue message, no database read, for them.
 */
/** A completed purchase's mails; `creatorId` says whose ledger holds it (absent from notices queued before it did). */
export type PurchaseNotice = { notice: 'purchase_completed'; purchaseId: string; origin: string; creatorId?: string };
export type MailMessage = Mail | PurchaseNotice;
const isNotice = (m: MailMessage): m is PurchaseNotice => 'notice' in m;

/**
 * Sending never blocks nor breaks the request that causes it: the request queues the mail (the `MAIL` Cloudflare
 * Queue, wrangler.jsonc) and answers; this worker's queue consumer sends it, retrying with a growing delay while
 * the provider fails, and after MAIL_ATTEMPTS records it as a dead letter (`mail_failures`) that admins see
 * (`GET /v1/admin/mail-failures`).
 */
export const MAIL_ATTEMPTS = 5;
export const MAIL_QUEUE = 'series-mail';

/** The wait before the next attempt: 30 s, doubling, at most an hour. */
export const retryDelaySeconds = (attempts: number) => Math.min(30 * 2 ** (attempts - 1), 3600);

/** Queues the mails of a completed purchase (never throws: the purchase is complete whatever happens here). */
export async function queuePurchaseMails(
  env: Env,
  origin: string,
  purchaseId: string,
  creatorId: string | null = null,
): Promise<void> {
  const notice: PurchaseNotice = {
    notice: 'purchase_completed',
    purchaseId,
    origin,
    ...(creatorId ? { creatorId } : {}),
  };
  await env.MAIL.send(notice, { contentType: 'json' }).catch((err) => console.error('purchase mails not queued', err));
}

/** Queues a mail. Never throws: a mail that cannot even be queued is recorded as undeliverable at once. */
export async function queueMail(env: Env, mail: Mail): Promise<void> {
  try {
    await env.MAIL.send(mail, { contentType: 'json' });
  } catch (err) {
    console.error('could not queue a mail', mail.kind, err);
    await insertMailFailure(env.DB, mail, `not queued: ${String(err)}`, 0, Date.now()).catch((e) =>
      console.error('could not record the mail that was not queued', e),
    );
  }
}

/** The consumer: each mail on its own; a failure is retried later, the last one recorded. */
export async function consumeMail(batch: MessageBatch<MailMessage>, env: Env): Promise<void> {
  const provider = mailer(env);
  for (const message of batch.messages) {
    const body = message.body;
    if (isNotice(body)) {
      try {
        await sendPurchaseMails(env, body.origin, body.purchaseId, body.creatorId ?? null);
        message.ack();
      } catch (err) {
        console.error('purchase mails', body.purchaseId, err);
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
      continue;
    }
    try {
      await provider.send(body);
      message.ack();
    } catch (err) {
      if (message.attempts >= MAIL_ATTEMPTS) {
        console.error('mail not sent after every attempt', body.kind, err);
        try {
          await insertMailFailure(env.DB, body, String(err), message.attempts, Date.now());
          message.ack();
        } catch (recordErr) {
          console.error('could not record an undeliverable mail', recordErr);
          message.retry({ delaySeconds: 600 });
        }
      } else {
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }
  }
}
