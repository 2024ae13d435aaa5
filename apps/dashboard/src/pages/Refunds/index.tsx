import type { Currency } from '@series/core';
import { useState } from 'preact/hooks';
import { Async, Empty } from '../../components/states.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { errorText, useT } from '../../lib/i18n.js';
import { useResource } from '../../lib/use-resource.js';

/**
 * Buyers' refund requests, pending first: refund (access ends), refund and keep access (a goodwill gesture), or
 * decline. One not answered within 7 days is granted by the platform. Refunds of any sale are made from the
 * month's purchases on the Payouts page.
 */
export default function Refunds() {
  const t = useT();
  const requests = useResource(() => request(() => api.v1['refund-requests'].$get()), []);
  return (
    <section>
      <h1>{t.t('dashboard.refunds.title')}</h1>
      <p>{t.t('dashboard.refunds.lead')}</p>
      <h2>{t.t('dashboard.refunds.requests')}</h2>
      <Async resource={requests}>
        {({ requests: list }) =>
          list.length === 0 ? (
            <Empty title={t.t('dashboard.refunds.none')} />
          ) : (
            <ul class="refund-requests">
              {list.map((r) => (
                <RequestItem key={r.id} request={r} onAnswered={requests.reload} />
              ))}
            </ul>
          )
        }
      </Async>
    </section>
  );
}

type Request = {
  id: string;
  reason: string;
  status: 'pending' | 'granted' | 'declined';
  answeredBy: string | null;
  createdAt: string;
  item: { seriesTitle: string; episodeTitle: string | null };
  amount: number;
  refundedAmount: number;
  currency: string;
};

function RequestItem({ request: r, onAnswered }: { request: Request; onAnswered: () => void }) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const answer = async (how: 'grant' | 'grantKeep' | 'decline') => {
    setBusy(true);
    setError(null);
    try {
      const param = { id: r.id };
      if (how === 'decline') await request(() => api.v1['refund-requests'][':id'].decline.$post({ param }));
      else {
        await request(() =>
          api.v1['refund-requests'][':id'].grant.$post({ param, json: { keepAccess: how === 'grantKeep' } }),
        );
      }
      onAnswered();
    } catch (err) {
      setError(err instanceof ApiFailure ? errorText(t, err) : String(err));
    } finally {
      setBusy(false);
    }
  };
  const status =
    r.status === 'granted' && r.answeredBy === 'platform'
      ? t.t('dashboard.refunds.byPlatform')
      : t.t(`dashboard.refunds.status.${r.status}`);
  return (
    <li class="card" data-request={r.id} data-status={r.status}>
      <p>
        <strong>
          {r.item.seriesTitle}
          {r.item.episodeTitle ? ` — ${r.item.episodeTitle}` : ''}
        </strong>{' '}
        · {t.price(r.amount, r.currency as Currency)} · {t.t('dashboard.refunds.asked', { date: t.date(r.createdAt) })}
      </p>
      <p>
        {t.t('dashboard.refunds.reason')}: “{r.reason}”
      </p>
      <p class="status">{status}</p>
      {r.status === 'pending' && (
        <p class="actions">
          <button type="button" class="button primary" disabled={busy} onClick={() => void answer('grant')}>
            {t.t('dashboard.refunds.grant')}
          </button>
          <button type="button" class="button" disabled={busy} onClick={() => void answer('grantKeep')}>
            {t.t('dashboard.refunds.grantKeep')}
          </button>
          <button type="button" class="button link" disabled={busy} onClick={() => void answer('decline')}>
            {t.t('dashboard.refunds.decline')}
          </button>
        </p>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
