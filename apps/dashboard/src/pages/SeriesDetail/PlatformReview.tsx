import { useT } from '../../lib/i18n.js';
import type { OwnerSeries } from '../../lib/types.js';

/**
 * Where the series stands with Series' review before going live: submitted and waiting, not approved (with the
 * admin's reason), an edit of the live series waiting or refused, taken down (with the reason). Nothing while there
 * is nothing to say. Announced when it changes (after publishing or saving).
 */
export function PlatformReview({ series }: { series: OwnerSeries }) {
  const t = useT();
  const lines: { tone: 'warning' | 'danger' | 'info'; text: string }[] = [];
  if (series.takenDown) {
    lines.push({
      tone: 'danger',
      text: t.t('dashboard.takedown', { date: t.date(series.takenDown.at), reason: series.takenDown.reason }),
    });
  }
  const review = series.review;
  if (review?.state === 'pending') lines.push({ tone: 'info', text: t.t('dashboard.review.pending') });
  if (review?.state === 'rejected') {
    lines.push({ tone: 'warning', text: t.t('dashboard.review.rejected', { reason: review.reason ?? '' }) });
  }
  const revision = series.revision;
  if (revision?.state === 'pending') lines.push({ tone: 'info', text: t.t('dashboard.revision.pending') });
  if (revision?.state === 'rejected') {
    lines.push({ tone: 'warning', text: t.t('dashboard.revision.rejected', { reason: revision.reason ?? '' }) });
  }
  if (!lines.length) return null;
  return (
    <div class="card" role="status" data-testid="platform-review">
      <h2>{t.t('dashboard.review.title')}</h2>
      {lines.map((l) => (
        <p class={`notice ${l.tone}`}>{l.text}</p>
      ))}
    </div>
  );
}
