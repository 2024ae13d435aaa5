import { funnelTotals } from '../../lib/charts/data.js';
import { useT } from '../../lib/i18n.js';
import type { FunnelStats } from '../../lib/types.js';

/**
 * Where buyers drop off: unlock buttons shown on the video site → checkouts started → purchases.
 * Drawn with plain HTML bars (no canvas), so it reads the same for screen readers.
 */
export function FunnelView({ rows }: { rows: FunnelStats[] }) {
  const i18n = useT();
  const t = funnelTotals(rows);
  const widest = Math.max(t.views, t.checkouts, t.purchases, 1);
  const steps = [
    { label: i18n.t('dashboard.analyticsTables.funnel.views'), value: t.views, rate: null },
    { label: i18n.t('dashboard.analyticsTables.funnel.checkouts'), value: t.checkouts, rate: t.checkoutRate },
    { label: i18n.t('dashboard.analyticsTables.funnel.purchases'), value: t.purchases, rate: t.purchaseRate },
  ];
  const percent = (r: number) =>
    new Intl.NumberFormat(i18n.locale, { style: 'percent', maximumFractionDigits: 1 }).format(r);
  return (
    <div>
      <ol class="funnel">
        {steps.map((s) => (
          <li key={s.label}>
            <span class="funnel-label">{s.label}</span>
            <span class="funnel-bar" style={{ width: `${Math.max((s.value / widest) * 100, s.value ? 2 : 0)}%` }} />
            <span class="funnel-value">
              {i18n.number(s.value)}
              {s.rate !== null && (
                <span class="muted">
                  {' '}
                  {i18n.t('dashboard.analyticsTables.funnel.ofBefore', { percent: percent(s.rate) })}
                </span>
              )}
            </span>
          </li>
        ))}
      </ol>
      {t.views === 0 && <p class="hint">{i18n.t('dashboard.analyticsTables.funnel.noViews')}</p>}
    </div>
  );
}
