import type { Currency } from '@series/core';
import { useT } from '../../lib/i18n.js';
import type { Summary } from '../../lib/types.js';

export type Totals = Summary['totals'][number];

/**
 * Gross, commission, payout, purchases and unique buyers for one currency (zeros when nothing sold); the tax the
 * prices included, apart, where there is any (a deploy that collects none shows no tax card).
 */
export function KpiCards({
  totals,
  currency,
  commissionBps,
}: {
  totals: Totals | undefined;
  currency: Currency;
  commissionBps: number;
}) {
  const t = useT();
  const k = totals ?? { sales: 0, gross: 0, refunded: 0, commission: 0, payout: 0, tax: 0, buyers: 0 };
  const net = k.gross - k.refunded;
  // The creator's share of what buyers paid (after refunds); the rate now in force when nothing sold yet.
  const share = net > 0 ? k.payout / net : 1 - commissionBps / 10_000;
  const percent = new Intl.NumberFormat(t.locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);
  return (
    <dl class="kpis">
      <div class="kpi">
        <dt>{t.t('dashboard.analyticsPage.kpi.gross')}</dt>
        <dd>{t.price(k.gross, currency)}</dd>
        {k.refunded > 0 && (
          <dd class="kpi-note">
            {t.t('dashboard.analyticsPage.kpi.refunded', { amount: t.price(k.refunded, currency) })}
          </dd>
        )}
      </div>
      <div class="kpi">
        <dt>{t.t('dashboard.analyticsPage.kpi.commission')}</dt>
        <dd>{t.price(k.commission, currency)}</dd>
        <dd class="kpi-note">{t.t('dashboard.analyticsPage.kpi.today', { percent: t.percentBps(commissionBps) })}</dd>
      </div>
      {!!k.tax && (
        <div class="kpi">
          <dt>{t.t('dashboard.analyticsPage.kpi.tax')}</dt>
          <dd>{t.price(k.tax, currency)}</dd>
          <dd class="kpi-note">{t.t('dashboard.analyticsPage.kpi.taxNote')}</dd>
        </div>
      )}
      <div class="kpi highlight">
        <dt>{t.t('dashboard.analyticsPage.kpi.payout', { percent })}</dt>
        <dd>{t.price(k.payout, currency)}</dd>
      </div>
      <div class="kpi">
        <dt>{t.t('dashboard.analyticsPage.kpi.purchases')}</dt>
        <dd>{t.number(k.sales)}</dd>
      </div>
      <div class="kpi">
        <dt>{t.t('dashboard.analyticsPage.kpi.buyers')}</dt>
        <dd>{t.number(k.buyers)}</dd>
      </div>
    </dl>
  );
}
