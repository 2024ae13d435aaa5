import { MAX_REVIEW_TEXT, type Currency } from '@series/core';
import { useState } from 'preact/hooks';
import { Async, Empty } from '../../components/states.js';
import { api, ApiFailure, request, type Body } from '../../lib/api.js';
import { errorText, useT, type DashboardT } from '../../lib/i18n.js';
import { useMe } from '../../lib/session.js';
import { useResource } from '../../lib/use-resource.js';

type QueueItem = Body<Awaited<ReturnType<(typeof api.v1.admin)['review-queue']['$get']>>>['items'][number];
type Report = Body<Awaited<ReturnType<typeof api.v1.admin.reports.$get>>>['reports'][number];

/**
 * The admins' moderation: the "review before going live" setting, what waits for review (each series with its
 * episodes, prices and playable videos: approve, or reject with the reason its creator reads), and viewers'
 * reports (dismiss, remove the review, take the series down).
 */
export default function Moderation() {
  const t = useT();
  const me = useMe();
  const [version, setVersion] = useState(0);
  if (!me.user.isAdmin) return <Empty title={t.t('dashboard.moderation.title')} />;
  return (
    <section>
      <h1>{t.t('dashboard.moderation.title')}</h1>
      <ReviewSetting />
      <ReviewQueue version={version} onChanged={() => setVersion((v) => v + 1)} />
      <Reports onChanged={() => setVersion((v) => v + 1)} />
    </section>
  );
}

function useAction(t: DashboardT) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (send: () => Promise<unknown>, done: () => void) => {
    setBusy(true);
    setError(null);
    try {
      await send();
      done();
    } catch (err) {
      setError(err instanceof ApiFailure ? errorText(t, err) : String(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p class="field-error" role="alert">
      {error}
    </p>
  ) : null;
}

function ReviewSetting() {
  const t = useT();
  const setting = useResource(() => request(() => api.v1.admin.settings.review.$get()), []);
  const action = useAction(t);
  return (
    <div class="card" data-testid="review-setting">
      <h2>{t.t('dashboard.moderation.setting.title')}</h2>
      <Async resource={setting}>
        {({ reviewRequired }) => (
          <>
            <p>{t.t(reviewRequired ? 'dashboard.moderation.setting.on' : 'dashboard.moderation.setting.off')}</p>
            <button
              type="button"
              class={reviewRequired ? 'button' : 'button primary'}
              disabled={action.busy}
              onClick={() =>
                void action.run(
                  () => request(() => api.v1.admin.settings.review.$put({ json: { reviewRequired: !reviewRequired } })),
                  setting.reload,
                )
              }
            >
              {t.t(reviewRequired ? 'dashboard.moderation.setting.turnOff' : 'dashboard.moderation.setting.turnOn')}
            </button>
            <ErrorLine error={action.error} />
          </>
        )}
      </Async>
    </div>
  );
}

function ReviewQueue({ version, onChanged }: { version: number; onChanged: () => void }) {
  const t = useT();
  const queue = useResource(() => request(() => api.v1.admin['review-queue'].$get()), [version]);
  return (
    <div class="card">
      <h2>{t.t('dashboard.moderation.queue.title')}</h2>
      <Async resource={queue}>
        {({ items }) =>
          items.length === 0 ? (
            <p>{t.t('dashboard.moderation.queue.empty')}</p>
          ) : (
            <ul class="moderation-queue">
              {items.map((item) => (
                <QueueEntry key={item.series.id} item={item} onDecided={onChanged} />
              ))}
            </ul>
          )
        }
      </Async>
    </div>
  );
}

/** Where a decision goes: the series going live, an edit of it, or one added episode. */
type Subject = { kind: 'series' | 'revisions'; id: string } | { kind: 'episodes'; id: string };

function decide(subject: Subject, decision: 'approve' | 'reject', reason: string) {
  // An approval carries no reason (the API reads none).
  const args = { param: { id: subject.id, decision }, json: { reason: decision === 'reject' ? reason : '' } };
  const queue = api.v1.admin['review-queue'];
  if (subject.kind === 'episodes') return request(() => queue.episodes[':id'][':decision{approve|reject}'].$post(args));
  if (subject.kind === 'revisions')
    return request(() => queue.revisions[':id'][':decision{approve|reject}'].$post(args));
  return request(() => queue.series[':id'][':decision{approve|reject}'].$post(args));
}

function Decision({ subject, label, onDecided }: { subject: Subject; label: string; onDecided: () => void }) {
  const t = useT();
  const [reason, setReason] = useState('');
  const action = useAction(t);
  const id = `reason-${subject.kind}-${subject.id}`;
  return (
    <form
      class="inline-form decision"
      aria-label={label}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const decision = ((e as SubmitEvent).submitter as HTMLButtonElement | null)?.value as 'approve' | 'reject';
        if (decision === 'reject' && !reason.trim()) return action.setError(t.t('dashboard.moderation.reasonRequired'));
        void action.run(() => decide(subject, decision, reason.trim()), onDecided);
      }}
    >
      <label for={id}>{t.t('dashboard.moderation.reason')}</label>
      <input id={id} value={reason} maxLength={MAX_REVIEW_TEXT} onInput={(e) => setReason(e.currentTarget.value)} />
      <button type="submit" class="button primary" value="approve" disabled={action.busy}>
        {t.t('dashboard.moderation.approve')}
      </button>
      <button type="submit" class="button" value="reject" disabled={action.busy}>
        {t.t('dashboard.moderation.reject')}
      </button>
      <ErrorLine error={action.error} />
    </form>
  );
}

function QueueEntry({ item, onDecided }: { item: QueueItem; onDecided: () => void }) {
  const t = useT();
  const s = item.series;
  const currency = s.currency as Currency;
  return (
    <li class="card" data-series={s.id}>
      <h3>
        {s.title} <span class="muted">{t.t('dashboard.moderation.by', { handle: s.creator.handle })}</span>
      </h3>
      <p class="muted">
        {item.asks.map((a) => t.t(`dashboard.moderation.asks.${a}`)).join(' · ')} ·{' '}
        {t.t('dashboard.moderation.waiting', { date: t.dateTime(item.waitingSince) })}
      </p>
      {s.coverUrl && <img class="cover-thumb" src={s.coverUrl} alt="" width={60} height={80} />}
      {s.description && <p class="prewrap">{s.description}</p>}
      {s.bundlePrice !== null && (
        <p>{t.t('dashboard.moderation.bundle', { price: t.price(s.bundlePrice, currency) })}</p>
      )}
      {item.asks.includes('series') && (
        <Decision subject={{ kind: 'series', id: s.id }} label={s.title} onDecided={onDecided} />
      )}
      {s.revision && item.asks.includes('revision') && (
        <div class="revision">
          {s.revision.title && <p>{t.t('dashboard.moderation.newTitle', { title: s.revision.title })}</p>}
          {s.revision.description !== null && (
            <p class="prewrap">{t.t('dashboard.moderation.newDescription', { text: s.revision.description })}</p>
          )}
          {s.revision.coverChanged && (
            <p>
              {t.t('dashboard.moderation.newCover')}{' '}
              {s.revision.coverUrl && (
                <img class="cover-thumb" src={s.revision.coverUrl} alt="" width={60} height={80} />
              )}
            </p>
          )}
          <Decision subject={{ kind: 'revisions', id: s.id }} label={s.title} onDecided={onDecided} />
        </div>
      )}
      <ol class="moderation-episodes">
        {item.episodes.map((e) => (
          <li key={e.id} data-episode={e.id}>
            <p>
              <strong>{e.title}</strong> ·{' '}
              {e.price === null ? t.t('dashboard.moderation.free') : t.price(e.price, currency)} ·{' '}
              {Math.floor(e.durationSeconds / 60)}:{String(e.durationSeconds % 60).padStart(2, '0')}
              {e.review?.state === 'pending' && <span class="badge">{t.t('dashboard.moderation.inReview')}</span>}
            </p>
            {e.playbackUrl ? (
              <video controls preload="metadata" src={e.playbackUrl} class="moderation-video" />
            ) : (
              <p class="muted">{t.t('dashboard.moderation.noVideo')}</p>
            )}
            {e.review?.state === 'pending' && (
              <Decision subject={{ kind: 'episodes', id: e.id }} label={e.title} onDecided={onDecided} />
            )}
          </li>
        ))}
      </ol>
    </li>
  );
}

function Reports({ onChanged }: { onChanged: () => void }) {
  const t = useT();
  const reports = useResource(() => request(() => api.v1.admin.reports.$get({ query: { status: 'open' } })), []);
  return (
    <div class="card">
      <h2>{t.t('dashboard.moderation.reports.title')}</h2>
      <Async resource={reports}>
        {({ reports: list }) =>
          list.length === 0 ? (
            <p>{t.t('dashboard.moderation.reports.empty')}</p>
          ) : (
            <ul class="moderation-reports">
              {list.map((r) => (
                <ReportEntry
                  key={r.id}
                  report={r}
                  onResolved={() => {
                    reports.reload();
                    onChanged();
                  }}
                />
              ))}
            </ul>
          )
        }
      </Async>
    </div>
  );
}

function ReportEntry({ report: r, onResolved }: { report: Report; onResolved: () => void }) {
  const t = useT();
  const [note, setNote] = useState('');
  const action = useAction(t);
  const about =
    r.target.kind === 'review' && r.review
      ? t.t('dashboard.moderation.report.review', { stars: r.review.stars, title: r.series.title, text: r.review.text })
      : r.target.kind === 'episode' && r.episode
        ? t.t('dashboard.moderation.report.episode', {
            episode: r.episode.title,
            title: r.series.title,
            handle: r.series.handle,
          })
        : t.t('dashboard.moderation.report.series', { title: r.series.title, handle: r.series.handle });
  const resolve = (action_: 'dismiss' | 'remove_review' | 'take_down') => {
    if (action_ === 'take_down' && !note.trim()) return action.setError(t.t('dashboard.moderation.reasonRequired'));
    void action.run(
      () =>
        request(() =>
          api.v1.admin.reports[':id'].resolve.$post({
            param: { id: r.id },
            json: { action: action_, note: note.trim() },
          }),
        ),
      onResolved,
    );
  };
  const id = `note-${r.id}`;
  return (
    <li class="card" data-report={r.id}>
      <p>
        <strong>{about}</strong>
        {r.series.takenDown && <span class="badge">{t.t('dashboard.moderation.takenDown')}</span>}
      </p>
      <p>
        {t.t('dashboard.moderation.report.reason', {
          reason: t.t(`dashboard.moderation.reason.${r.reason as 'spam'}`),
        })}{' '}
        · {t.t('dashboard.moderation.report.at', { date: t.dateTime(r.createdAt) })}
      </p>
      {r.text && <p class="prewrap">“{r.text}”</p>}
      <label for={id}>{t.t('dashboard.moderation.note')}</label>
      <input id={id} value={note} maxLength={MAX_REVIEW_TEXT} onInput={(e) => setNote(e.currentTarget.value)} />
      <p class="actions">
        <button type="button" class="button" disabled={action.busy} onClick={() => resolve('dismiss')}>
          {t.t('dashboard.moderation.dismiss')}
        </button>
        {r.target.kind === 'review' && (
          <button type="button" class="button" disabled={action.busy} onClick={() => resolve('remove_review')}>
            {t.t('dashboard.moderation.removeReview')}
          </button>
        )}
        {!r.series.takenDown && (
          <button type="button" class="button danger" disabled={action.busy} onClick={() => resolve('take_down')}>
            {t.t('dashboard.moderation.takeDown')}
          </button>
        )}
      </p>
      <ErrorLine error={action.error} />
    </li>
  );
}
