import { MAX_REVIEW_TEXT } from '@series/core';
import { useState } from 'preact/hooks';
import { Async } from '../../components/states.js';
import { api, ApiFailure, request, type Body } from '../../lib/api.js';
import { errorText, useT } from '../../lib/i18n.js';
import { useResource } from '../../lib/use-resource.js';

type Rated = Body<Awaited<ReturnType<(typeof api.v1.me.series)[':id']['reviews']['$get']>>>['reviews'][number];

/** Buyers' ratings of the series, newest first, with the creator's one public reply to each. */
export function Ratings({ seriesId }: { seriesId: string }) {
  const t = useT();
  const ratings = useResource(
    () => request(() => api.v1.me.series[':id'].reviews.$get({ param: { id: seriesId } })),
    [seriesId],
  );
  return (
    <div class="card" data-testid="ratings">
      <h2>{t.t('dashboard.reviews.title')}</h2>
      <Async resource={ratings}>
        {({ rating, reviews }) => (
          <>
            <p>
              {rating.count
                ? t.t('dashboard.reviews.summary', {
                    average: new Intl.NumberFormat(t.locale, { maximumFractionDigits: 1 }).format(rating.average ?? 0),
                    count: new Intl.NumberFormat(t.locale).format(rating.count),
                  })
                : t.t('dashboard.reviews.none')}
            </p>
            {reviews.length > 0 && (
              <ul class="ratings">
                {reviews.map((r) => (
                  <Rating key={r.id} review={r} onReplied={ratings.reload} />
                ))}
              </ul>
            )}
          </>
        )}
      </Async>
    </div>
  );
}

function Rating({ review: r, onReplied }: { review: Rated; onReplied: () => void }) {
  const t = useT();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `reply-${r.id}`;
  const send = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await request(() => api.v1.reviews[':id'].reply.$post({ param: { id: r.id }, json: { text: text.trim() } }));
      onReplied();
    } catch (err) {
      setError(err instanceof ApiFailure ? errorText(t, err) : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li data-review={r.id}>
      <p>
        <strong aria-label={t.t('dashboard.reviews.stars', { stars: r.stars })}>
          {'★'.repeat(r.stars)}
          {'☆'.repeat(5 - r.stars)}
        </strong>{' '}
        <span class="muted">{t.date(r.createdAt)}</span>{' '}
        {!r.counts && <span class="badge neutral">{t.t('dashboard.reviews.notCounted')}</span>}
      </p>
      {r.text && <p class="prewrap">{r.text}</p>}
      {r.reply ? (
        <p class="muted">{t.t('dashboard.reviews.yourReply', { text: r.reply.text })}</p>
      ) : (
        <form class="inline-form" onSubmit={send} noValidate>
          <label for={id}>{t.t('dashboard.reviews.replyLabel')}</label>
          <textarea
            id={id}
            rows={2}
            maxLength={MAX_REVIEW_TEXT}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <button type="submit" class="button" disabled={busy || !text.trim()}>
            {t.t('dashboard.reviews.send')}
          </button>
          {error && (
            <p class="field-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </li>
  );
}
