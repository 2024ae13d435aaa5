import type { Currency } from '@series/core';
import { count, money, percent, percentFromBps } from '../../lib/format.js';
import type { Summary } from '../../lib/types.js';

export type Totals = Summary['totals'][number];

/** Gross, commission, payout, purchases and unique buyers for one currency (zeros when nothing sold). */
export function KpiCards({
  totals,
  currency,
  commissionBps,
}: {
  totals: Totals | undefined;
  currency: Currency;
  commissionBps: number;
}) {
  const t = totals ?? { sales: 0, gross: 0, refunded: 0, commission: 0, payout: 0, buyers: 0 };
  const net = t.gross - t.refunded;
  // The creator's share of what buyers paid (after refunds); the rate now in force when nothing sold yet.
  const share = net > 0 ? t.payout / net : 1 - commissionBps / 10_000;
  return (
    <dl class="kpis">
      <div class="kpi">
        <dt>Gross sales</dt>
        <dd>{money(t.gross, currency)}</dd>
        {t.refunded > 0 && <dd class="kpi-note">{money(t.refunded, currency)} refunded</dd>}
      </div>
      <div class="kpi">
        <dt>Platform commission</dt>
        <dd>{money(t.commission, currency)}</dd>
        <dd class="kpi-note">{percentFromBps(commissionBps)} today</dd>
      </div>
      <div class="kpi highlight">
        <dt>Your payout ({percent(share)})</dt>
        <dd>{money(t.payout, currency)}</dd>
      </div>
      <div class="kpi">
        <dt>Purchases</dt>
        <dd>{count(t.sales)}</dd>
      </div>
      <div class="kpi">
        <dt>Unique buyers</dt>
        <dd>{count(t.buyers)}</dd>
      </div>
    </dl>
  );
}
