import type { Translator } from '@series/core';
import type { LibraryRow, ReceiptRow } from '../../ledger/queries.js';
import { Layout } from '../layout.js';
import { creatorPath, episodePath, seriesPath } from './parts.js';

function SignInFirst({ t, text }: { t: Translator; text: string }) {
  return (
    <>
      <p>{text}</p>
      <p class="actions">
        <button type="button" class="btn" data-action="signin">
          {t.t('client.signIn')}
        </button>
      </p>
    </>
  );
}

const watchPath = (r: ReceiptRow) =>
  r.episode_number ? episodePath(r.handle, r.series_slug, r.episode_number) : seriesPath(r.handle, r.series_slug);

/** `/library`: everything the viewer bought, grouped by series. Signed out, it asks to sign in and comes back. */
export function LibraryPage({ t, rows, signedIn }: { t: Translator; rows: LibraryRow[]; signedIn: boolean }) {
  const groups = new Map<string, LibraryRow[]>();
  for (const r of rows) groups.set(r.series_id, [...(groups.get(r.series_id) ?? []), r]);
  return (
    <Layout
      t={t}
      path="/library"
      meta={{ title: t.t('library.title'), description: t.t('library.lead'), url: '/library', noindex: true }}
      data={{ page: 'library' }}
    >
      <h1>{t.t('library.heading')}</h1>
      {!signedIn ? (
        <SignInFirst t={t} text={t.t('library.signInFirst')} />
      ) : (
        <>
          <p class="muted">{t.t('library.lead')}</p>
          <p class="note">
            <a href="/account">{t.t('profile.heading')}</a>
          </p>
          {rows.length === 0 && <p>{t.t('library.empty')}</p>}
          {[...groups.values()].map((items) => {
            const first = items[0]!;
            return (
              <section class="group" aria-labelledby={`lib-${first.series_id}`}>
                <h2 id={`lib-${first.series_id}`}>
                  <a href={seriesPath(first.handle, first.series_slug)}>{first.series_title}</a>
                </h2>
                <p class="note">
                  <a href={creatorPath(first.handle)}>{first.display_name}</a>
                </p>
                <ul>
                  {items.map((r) => (
                    <li data-purchase={r.id}>
                      <span>
                        {r.episode_id
                          ? t.t('library.episode', { number: r.episode_number ?? '?', title: r.episode_title ?? '' })
                          : t.t('library.wholeSeries')}
                        {r.dispute_state === 'open' || r.dispute_state === 'lost' ? (
                          <span class="note"> · {t.t('library.onHold')}</span>
                        ) : null}
                      </span>
                      <a class="btn secondary" href={watchPath(r)}>
                        {t.t('library.watch')}
                      </a>
                      {/* A gift's receipt is its giver's: the recipient sees that it was one. */}
                      {r.gift_received ? (
                        <span class="note">{t.t('library.gift')}</span>
                      ) : (
                        <a href={`/receipts/${r.id}`}>{t.t('library.receipt')}</a>
                      )}
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
        </>
      )}
    </Layout>
  );
}

function statusText(t: Translator, r: ReceiptRow): string {
  if (r.dispute_state === 'open' || r.dispute_state === 'lost') return t.t('receipt.status.disputed');
  if (r.status === 'refunded') return t.t('receipt.status.refunded');
  if (r.status === 'paid' && r.refunded_amount > 0) {
    return t.t('receipt.status.partlyRefunded', { amount: t.price(r.refunded_amount, r.currency) });
  }
  if (r.status === 'pending')
    return r.expires_at > Date.now() ? t.t('receipt.status.pending') : t.t('receipt.status.expired');
  return t.t(`receipt.status.${r.status}`);
}

/** `/receipts/<id>`: the lasting receipt, for its buyer only (anyone else gets the 404 page). */
/** What the receipt says of refunds: the buyer's request and its answer, or the form to ask (within 14 days). */
export interface ReceiptRefund {
  request: { status: 'pending' | 'granted' | 'declined'; createdAt: number; answeredBy: string | null } | null;
  /** The buyer may still ask: paid, something left to refund, within 14 days, no request yet. */
  canAsk: boolean;
  /** Until when a request can be made. */
  askUntil: number | null;
  error?: string;
}

export function ReceiptPage({
  t,
  row,
  path,
  refund,
}: {
  t: Translator;
  row: ReceiptRow | null;
  path: string;
  refund?: ReceiptRefund;
}) {
  return (
    <Layout
      t={t}
      path={path}
      meta={{ title: t.t('receipt.title'), description: t.t('receipt.keep'), url: path, noindex: true }}
      data={{ page: 'receipt' }}
    >
      <h1>{t.t('receipt.heading')}</h1>
      {!row ? (
        <SignInFirst t={t} text={t.t('receipt.signInFirst')} />
      ) : (
        <>
          <table class="table">
            <tbody>
              <tr>
                <th scope="row">{t.t('receipt.item')}</th>
                <td>
                  {row.episode_id
                    ? t.t('receipt.episode', {
                        series: row.series_title,
                        number: row.episode_number ?? '?',
                        title: row.episode_title ?? '',
                      })
                    : t.t('receipt.wholeSeries', { series: row.series_title })}
                </td>
              </tr>
              <tr>
                <th scope="row">{t.t('receipt.seller')}</th>
                <td>
                  {row.display_name} (@{row.handle})
                </td>
              </tr>
              <tr>
                <th scope="row">{t.t('receipt.amount')}</th>
                <td data-amount>{t.price(row.amount, row.currency)}</td>
              </tr>
              {(row.tax_amount ?? 0) > 0 && (
                <tr>
                  <th scope="row">{t.t('receipt.tax')}</th>
                  <td data-tax-amount>{t.price(row.tax_amount!, row.currency)}</td>
                </tr>
              )}
              <tr>
                <th scope="row">{t.t('receipt.date')}</th>
                <td>{t.dateTime(row.paid_at ?? row.created_at)}</td>
              </tr>
              <tr>
                <th scope="row">{t.t('receipt.status')}</th>
                <td data-status={row.status}>{statusText(t, row)}</td>
              </tr>
              <tr>
                <th scope="row">{t.t('receipt.reference')}</th>
                <td>{row.payment_ref ?? row.provider_ref ?? '—'}</td>
              </tr>
              <tr>
                <th scope="row">{t.t('receipt.number')}</th>
                <td>{row.id}</td>
              </tr>
            </tbody>
          </table>
          <p class="note">{t.t('receipt.keep')}</p>
          <p class="actions">
            {row.status === 'paid' && (
              <a class="btn" href={watchPath(row)}>
                {t.t('receipt.watch')}
              </a>
            )}
            <a class="btn secondary" href="/library">
              {t.t('receipt.back')}
            </a>
          </p>
          {refund && <RefundSection t={t} path={path} refund={refund} />}
        </>
      )}
    </Layout>
  );
}

function RefundSection({ t, path, refund }: { t: Translator; path: string; refund: ReceiptRefund }) {
  const { request } = refund;
  if (request) {
    return (
      <section aria-labelledby="refund-title" id="refund" data-request-status={request.status}>
        <h2 id="refund-title">{t.t('receipt.refund.title')}</h2>
        <p role="status">
          {request.status === 'pending'
            ? t.t('receipt.refund.pending', { date: t.date(request.createdAt) })
            : request.status === 'granted'
              ? t.t('receipt.refund.granted')
              : t.t('receipt.refund.declined')}
        </p>
      </section>
    );
  }
  if (!refund.canAsk) return null;
  return (
    <section aria-labelledby="refund-title" id="refund">
      <h2 id="refund-title">{t.t('receipt.refund.title')}</h2>
      <p>{t.t('receipt.refund.lead', { date: t.date(refund.askUntil!) })}</p>
      <form method="post" action={`${path}/refund-request`} novalidate>
        <label for="refund-reason">{t.t('receipt.refund.reason')}</label>
        <textarea
          id="refund-reason"
          name="reason"
          rows={3}
          maxlength={1000}
          required
          aria-invalid={refund.error ? 'true' : undefined}
          aria-describedby={refund.error ? 'refund-error' : undefined}
        />
        {refund.error && (
          <p id="refund-error" class="field-error" role="alert">
            {refund.error}
          </p>
        )}
        <p class="actions">
          <button type="submit" class="btn secondary">
            {t.t('receipt.refund.submit')}
          </button>
        </p>
      </form>
    </section>
  );
}
