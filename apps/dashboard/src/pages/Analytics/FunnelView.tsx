import { funnelTotals } from '../../lib/charts/data.js';
import { count, percent } from '../../lib/format.js';
import type { FunnelStats } from '../../lib/types.js';

/**
 * Where buyers drop off: unlock buttons shown on the video site → checkouts started → purchases.
 * Drawn with plain HTML bars (no canvas), so it reads the same for screen readers.
 */
export function FunnelView({ rows }: { rows: FunnelStats[] }) {
  const t = funnelTotals(rows);
  const widest = Math.max(t.views, t.checkouts, t.purchases, 1);
  const steps = [
    { label: 'Unlock buttons shown', value: t.views, rate: null },
    { label: 'Checkouts started', value: t.checkouts, rate: t.checkoutRate },
    { label: 'Purchases', value: t.purchases, rate: t.purchaseRate },
  ];
  return (
    <div>
      <ol class="funnel">
        {steps.map((s) => (
          <li key={s.label}>
            <span class="funnel-label">{s.label}</span>
            <span class="funnel-bar" style={{ width: `${Math.max((s.value / widest) * 100, s.value ? 2 : 0)}%` }} />
            <span class="funnel-value">
              {count(s.value)}
              {s.rate !== null && <span class="muted"> ({percent(s.rate)} of the step before)</span>}
            </span>
          </li>
        ))}
      </ol>
      {t.views === 0 && (
        <p class="hint">
          Views appear once viewers with the Series browser extension see your unlock buttons. Only counts per episode
          and day are kept, never who saw them.
        </p>
      )}
    </div>
  );
}
