import { translator, type Translator } from '@series/core';
import { findGiftMail, issueGiftToken, type GiftMailRow } from '../ledger/gift-queries.js';
import { randomToken, sha256Hex } from '../lib/encoding.js';
import { ledgerFor } from '../ledger/placement.js';
import { composeMail } from './compose.js';
import { giftLink } from './messages.js';
import {
  claimDailySummaries,
  claimFirstSale,
  findCreatorMail,
  findReceiptMail,
  findRefundRequestMail,
} from './queries.js';
import { queueMail } from './queue.js';

/**
 * The mails that follow what happens to a purchase or a creator: the buyer's receipt, and the creator's notices
 * (approved or suspended, first sale, payout recorded, the daily summary they opted in to). Each is queued
 * (never sent in the request) and skipped for an account without an address (signed in with TikTok only).
 */

/** Links in mails sent outside a request (the cron) need the public origin: SITE_ORIGIN. */
export const publicOrigin = (env: Env, requestOrigin?: string) => env.SITE_ORIGIN || requestOrigin || null;

/**
 * After a purchase completes (once): the buyer's receipt (what, from whom, amount, currency, date, a link to watch
 * and the lasting receipt page; for a gift, a link to the giver's gifts instead), the gift's mail to its recipient,
 * and, on the creator's first sale ever, their notice.
 */
export async function sendPurchaseMails(
  env: Env,
  origin: string,
  purchaseId: string,
  creatorId: string | null = null,
): Promise<void> {
  // The purchase is in its creator's ledger (a notice queued before it said whose: the directory's database). The
  // receipt also reads the catalogue and the accounts, which a shard holds copies of today (docs/scaling.md).
  const db = creatorId ? ledgerFor(env, creatorId) : env.DB;
  await claimFirstSale(db, purchaseId);
  const row = await findReceiptMail(db, purchaseId);
  if (!row) return;
  const watch = `${origin}/@${row.handle}/${row.series_slug}${row.episode_number ? `/${row.episode_number}` : ''}`;
  const receipt = `${origin}/receipts/${row.id}`;
  if (row.buyer_email) {
    const t = translator(row.buyer_locale);
    const item =
      row.episode_title && row.episode_number
        ? t.t('mail.receipt.itemEpisode', {
            number: row.episode_number,
            episode: row.episode_title,
            series: row.series_title,
          })
        : t.t('mail.receipt.itemSeries', { series: row.series_title });
    const seller = `${row.display_name} (@${row.handle})`;
    await queueMail(
      env,
      composeMail(t, origin, row.buyer_email, 'receipt', {
        subject: t.t('mail.receipt.subject', { item: row.episode_title ?? row.series_title }),
        paragraphs: [
          t.t('mail.receipt.body', { seller }),
          ...(row.gift_email ? [t.t('mail.receipt.giftFor', { email: row.gift_email })] : []),
        ],
        facts: [
          [t.t('mail.receipt.item'), item],
          [t.t('mail.receipt.seller'), seller],
          [t.t('mail.receipt.amount'), t.price(row.amount, row.currency as never)],
          // Prices are tax-inclusive: the part of the amount that was tax, where there was some.
          ...(row.tax_amount > 0
            ? [[t.t('mail.receipt.tax'), t.price(row.tax_amount, row.currency as never)] as [string, string]]
            : []),
          [t.t('mail.receipt.currency'), row.currency],
          [t.t('mail.receipt.date'), t.dateTime(row.paid_at)],
          [t.t('mail.receipt.reference'), row.id],
        ],
        action: row.gift_email
          ? { label: t.t('mail.receipt.gifts'), url: `${origin}/account#gifts` }
          : { label: t.t('mail.receipt.watch'), url: watch },
        after: [t.t('mail.receipt.page', { url: receipt }), t.t('mail.receipt.refunds')],
      }),
    );
  }
  if (row.gift_email) await sendGiftMail(env, db, origin, purchaseId);
  if (row.first_sale && row.creator_email) {
    const t = translator(row.creator_locale);
    await queueMail(
      env,
      composeMail(t, origin, row.creator_email, 'first_sale', {
        subject: t.t('mail.firstSale.subject'),
        paragraphs: [
          t.t('mail.firstSale.body', {
            item: row.episode_title ?? row.series_title,
            amount: t.price(row.amount, row.currency as never),
          }),
        ],
        action: { label: t.t('mail.dashboard'), url: `${origin}/dashboard/analytics` },
      }),
    );
  }
}

/** An admin approved or suspended a creator: they are told. */
export async function sendCreatorStatusMail(
  env: Env,
  origin: string,
  creatorId: string,
  status: 'approved' | 'suspended',
): Promise<void> {
  const creator = await findCreatorMail(env.DB, creatorId);
  const handle = creator?.handle ?? creator?.released_handle;
  if (!creator?.email || !handle) return;
  const t = translator(creator.locale);
  const approved = status === 'approved';
  await queueMail(
    env,
    composeMail(t, origin, creator.email, approved ? 'creator_approved' : 'creator_suspended', {
      subject: t.t(approved ? 'mail.creatorApproved.subject' : 'mail.creatorSuspended.subject'),
      paragraphs: [t.t(approved ? 'mail.creatorApproved.body' : 'mail.creatorSuspended.body', { handle })],
      action: { label: t.t('mail.dashboard'), url: `${origin}/dashboard/` },
    }),
  );
}

/** An admin recorded a payout: the creator is told what and for which month. */
export async function sendPayoutMail(
  env: Env,
  origin: string,
  creatorId: string,
  payout: { amount: number; currency: string; month: string },
): Promise<void> {
  const creator = await findCreatorMail(env.DB, creatorId);
  if (!creator?.email) return;
  const t = translator(creator.locale);
  const amount = t.price(payout.amount, payout.currency as never);
  const month = new Intl.DateTimeFormat(t.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${payout.month}-01T00:00:00Z`),
  );
  await queueMail(
    env,
    composeMail(t, origin, creator.email, 'payout_recorded', {
      subject: t.t('mail.payout.subject', { amount }),
      paragraphs: [t.t('mail.payout.body', { amount, month })],
      action: { label: t.t('mail.dashboard'), url: `${origin}/dashboard/payouts` },
    }),
  );
}

/** Summaries claimed per run; the next hourly run takes the rest of a long list. */
const SUMMARIES_PER_RUN = 200;

/**
 * The cron's daily summaries: for each creator who opted in and sold something on `day` (yesterday, UTC), one
 * mail with that day's sales per currency, sent once. Needs SITE_ORIGIN for its link (no request to take it from).
 */
export async function sendDailySummaries(env: Env, day: string): Promise<number> {
  const origin = publicOrigin(env);
  if (!origin) return 0;
  const rows = await claimDailySummaries(env.DB, day, SUMMARIES_PER_RUN);
  const byCreator = new Map<string, typeof rows>();
  for (const row of rows) byCreator.set(row.creator_id, [...(byCreator.get(row.creator_id) ?? []), row]);
  for (const lines of byCreator.values()) {
    const first = lines[0]!;
    if (!first.email) continue;
    const t = translator(first.locale);
    const total = lines.reduce((n, l) => n + l.sales, 0);
    const date = new Intl.DateTimeFormat(t.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${day}T00:00:00Z`),
    );
    await queueMail(
      env,
      composeMail(t, origin, first.email, 'daily_summary', {
        subject: t.t('mail.summary.subject', { sales: t.plural('mail.summary.sales', total) }),
        paragraphs: [
          t.t('mail.summary.body', { day: date }),
          ...lines.map((l) =>
            t.t('mail.summary.line', {
              currency: l.currency,
              sales: t.plural('mail.summary.sales', l.sales),
              gross: t.price(l.gross, l.currency as never),
              payout: t.price(l.payout, l.currency as never),
            }),
          ),
        ],
        action: { label: t.t('mail.dashboard'), url: `${origin}/dashboard/analytics` },
        after: [t.t('mail.summary.optOut')],
      }),
    );
  }
  return byCreator.size;
}

/** A buyer asked for a refund: the creator is told what, why, and until when they can answer. */
export async function sendRefundRequestMail(
  env: Env,
  origin: string,
  requestId: string,
  /** Whose ledger holds the request (ledger/placement.ts); null: the directory's own database. */
  creatorId: string | null = null,
): Promise<void> {
  const row = await findRefundRequestMail(creatorId ? ledgerFor(env, creatorId) : env.DB, requestId);
  if (!row?.email) return;
  const t = translator(row.locale);
  const item = row.episode_title ?? row.series_title;
  await queueMail(
    env,
    composeMail(t, origin, row.email, 'refund_request', {
      subject: t.t('mail.refundRequest.subject', { item }),
      paragraphs: [
        t.t('mail.refundRequest.body', { item, amount: t.price(row.amount, row.currency as never) }),
        t.t('mail.refundRequest.reason', { reason: row.reason }),
        t.t('mail.refundRequest.deadline', { date: t.date(row.created_at + 7 * 24 * 60 * 60 * 1000) }),
      ],
      action: { label: t.t('mail.refundRequest.action'), url: `${origin}/dashboard/refunds` },
    }),
  );
}

/** What an admin decided about a creator's series, for the mail that tells them (review before going live, takedowns). */
export type ModerationNotice =
  | 'series_approved'
  | 'series_rejected'
  | 'revision_approved'
  | 'revision_rejected'
  | 'episode_approved'
  | 'episode_rejected'
  | 'series_taken_down';

/** The creator is told what an admin decided about their series, and why (a rejection's or takedown's reason). */
export async function sendModerationMail(
  env: Env,
  origin: string,
  creatorId: string,
  notice: ModerationNotice,
  vars: { title: string; reason?: string },
): Promise<void> {
  const creator = await findCreatorMail(env.DB, creatorId);
  if (!creator?.email) return;
  const t = translator(creator.locale);
  const reason = vars.reason ?? '';
  await queueMail(
    env,
    composeMail(t, origin, creator.email, 'moderation', {
      subject: t.t(`mail.moderation.${notice}.subject`, { title: vars.title }),
      paragraphs: [
        t.t(`mail.moderation.${notice}.body`, { title: vars.title }),
        ...(reason ? [t.t('mail.moderation.reason', { reason })] : []),
      ],
      action: { label: t.t('mail.dashboard'), url: `${origin}/dashboard/series` },
    }),
  );
}

/** What a gift is, in a sentence of its mails: "episode 2, “The Keeper”, of Lighthouse" or "the whole series …". */
function giftItem(t: Translator, row: Pick<GiftMailRow, 'episode_title' | 'episode_number' | 'series_title'>) {
  return row.episode_title && row.episode_number
    ? t.t('gift.itemEpisode', { number: row.episode_number, episode: row.episode_title, series: row.series_title })
    : t.t('gift.itemSeries', { series: row.series_title });
}

/**
 * A paid gift's mail to its recipient, with its single-use claim link: `token` when the giver re-sends it (its hash
 * already stored); otherwise a new token is issued here, once (a notice delivered again mails nothing).
 */
export async function sendGiftMail(
  env: Env,
  ledger: D1Database,
  origin: string,
  purchaseId: string,
  token?: string,
): Promise<void> {
  let link = token;
  if (!link) {
    const fresh = randomToken();
    if (!(await issueGiftToken(ledger, purchaseId, await sha256Hex(fresh), Date.now()))) return;
    link = fresh;
  }
  const row = await findGiftMail(ledger, purchaseId);
  if (!row) return;
  const t = translator(row.recipient_locale);
  const item = giftItem(t, row);
  await queueMail(
    env,
    composeMail(t, origin, row.recipient_email, 'gift', {
      subject: t.t('mail.gift.subject', { item: row.episode_title ?? row.series_title }),
      paragraphs: [
        t.t('mail.gift.body', {
          giver: row.giver_shown ?? t.t('mail.gift.someone'),
          item,
          seller: `${row.display_name} (@${row.handle})`,
        }),
        ...(row.message ? [t.t('mail.gift.message', { message: row.message })] : []),
      ],
      action: { label: t.t('mail.gift.action'), url: giftLink(origin, link) },
      after: [t.t('mail.gift.after')],
    }),
  );
}

/**
 * The account that opened a gift's link already owned its item: the giver is told (once) and offered a refund;
 * nothing else about what that account owns.
 */
export async function sendGiftRefusedMail(
  env: Env,
  ledger: D1Database,
  origin: string,
  purchaseId: string,
): Promise<void> {
  const row = await findGiftMail(ledger, purchaseId);
  if (!row?.giver_email) return;
  const t = translator(row.giver_locale);
  await queueMail(
    env,
    composeMail(t, origin, row.giver_email, 'gift_refused', {
      subject: t.t('mail.giftRefused.subject'),
      paragraphs: [t.t('mail.giftRefused.body', { item: giftItem(t, row) })],
      action: { label: t.t('mail.giftRefused.action'), url: `${origin}/account#gifts` },
    }),
  );
}
