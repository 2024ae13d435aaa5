import { formatDuration, type Currency } from '@series/core';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, ApiFailure, request } from '../../lib/api.js';
import { dropIndex, edgeScroll, keyTarget, moveItem } from '../../lib/reorder.js';
import { useT } from '../../lib/i18n.js';
import { releaseWhen } from '../../lib/schedule.js';
import type { OwnerEpisode } from '../../lib/types.js';
import { EpisodeForm } from './EpisodeForm.js';
import { FramePicker } from './FramePicker.js';
import { MediaUpload } from './MediaUpload.js';

/** A move in progress: which episode, where it started and where it would land (indexes). */
interface Moving {
  id: string;
  from: number;
  to: number;
  by: 'pointer' | 'keyboard';
}

/**
 * The episodes in order, with reorder, edit, video upload and delete. Edits and deletes go to the API and the
 * list is then reloaded, so what is shown is what viewers get. A move (dragged by its handle with a mouse, a pen
 * or a finger, or picked up with Space and moved with the arrow keys, Home and End) is one request whatever the
 * distance; the list shows the new order at once, keeps the focus on the moved episode and says where it went.
 */
export function EpisodeList({
  episodes,
  currency,
  onChanged,
  canPickVideos = false,
  upload = null,
}: {
  episodes: OwnerEpisode[];
  currency: Currency;
  onChanged: () => void;
  /** The creator connected TikTok: the edit form offers their videos. */
  canPickVideos?: boolean;
  /** A video chosen while adding an episode, to upload to it now. */
  upload?: { episodeId: string; file: File } | null;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ id: string; message: string } | null>(null);
  // The order shown: the API's, or the one a move just made (the API answered it; no reload needed).
  const [order, setOrder] = useState(episodes);
  useEffect(() => setOrder(episodes), [episodes]);
  const [moving, setMoving] = useState<Moving | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const handles = useRef(new Map<string, HTMLButtonElement>());
  // What had the focus when a move began (the handle, or an up / down button), to give it back after it.
  const focusAfter = useRef<{ id: string; el: HTMLElement | null } | null>(null);
  const keepFocus = (id: string) =>
    (focusAfter.current = { id, el: document.activeElement instanceof HTMLElement ? document.activeElement : null });
  const drag = useRef<{ middles: number[]; y: number; frame: number; pointerId: number } | null>(null);

  const shown = moving ? moveItem(order, moving.from, moving.to) : order;
  const count = order.length;
  const t = useT();
  const place = (index: number) => t.t('dashboard.reorder.place', { number: index + 1, count });

  // Reordering the list moves DOM nodes, which can drop the focus: it goes back to the handle that has it.
  useLayoutEffect(() => {
    const keep = focusAfter.current;
    if (!keep) return;
    const el =
      keep.el?.isConnected && !(keep.el as HTMLButtonElement).disabled ? keep.el : handles.current.get(keep.id);
    if (el && document.activeElement !== el) el.focus();
    if (!moving && busy === null) focusAfter.current = null;
  });

  async function act(episode: OwnerEpisode, action: () => Promise<unknown>) {
    setBusy(episode.id);
    setError(null);
    try {
      await action();
      onChanged();
    } catch (err) {
      setError({ id: episode.id, message: err instanceof ApiFailure ? err.message : String(err) });
    } finally {
      setBusy(null);
    }
  }

  /** Sends a finished move: one PATCH with the new number; on refusal the old order comes back, with why. */
  async function commit(move: Moving) {
    setMoving(null);
    const episode = order[move.from]!;
    if (move.to === move.from) {
      setAnnouncement(t.t('dashboard.reorder.stays', { title: episode.title, place: place(move.from) }));
      return;
    }
    const before = order;
    const after = moveItem(order, move.from, move.to).map((e, i) => ({ ...e, number: i + 1 }));
    if (focusAfter.current?.id !== episode.id) keepFocus(episode.id);
    setOrder(after);
    setBusy(episode.id);
    setError(null);
    setAnnouncement(t.t('dashboard.reorder.moving', { title: episode.title, place: place(move.to) }));
    try {
      await request(() => api.v1.episodes[':id'].$patch({ param: { id: episode.id }, json: { number: move.to + 1 } }));
      setAnnouncement(t.t('dashboard.reorder.moved', { title: episode.title, place: place(move.to) }));
    } catch (err) {
      setOrder(before);
      const message = err instanceof ApiFailure ? err.message : String(err);
      setError({ id: episode.id, message: t.t('dashboard.reorder.notMoved', { message }) });
      setAnnouncement(t.t('dashboard.reorder.notMovedAnnounced', { title: episode.title, message }));
    } finally {
      setBusy(null);
    }
  }

  function onHandleKey(event: KeyboardEvent, index: number) {
    const episode = shown[index]!;
    if (!moving || moving.id !== episode.id) {
      if (event.key === ' ' || event.key === 'Enter') {
        event.preventDefault();
        if (busy !== null) return;
        keepFocus(episode.id);
        setMoving({ id: episode.id, from: index, to: index, by: 'keyboard' });
        setAnnouncement(t.t('dashboard.reorder.pickedUp', { title: episode.title, place: place(index) }));
      }
      return;
    }
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      void commit(moving);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setMoving(null);
      setAnnouncement(t.t('dashboard.reorder.cancelled', { title: episode.title, place: place(moving.from) }));
    } else {
      const to = keyTarget(event.key, moving.to, count);
      if (to === null) return;
      event.preventDefault();
      setMoving({ ...moving, to });
      setAnnouncement(t.t('dashboard.reorder.at', { title: episode.title, place: place(to) }));
    }
  }

  // The latest move, for the window's pointer listeners (bound once per drag).
  const movingRef = useRef<Moving | null>(null);
  movingRef.current = moving;

  function onPointerDown(event: PointerEvent, index: number) {
    if (event.button !== 0 || busy !== null || moving) return;
    const handle = event.currentTarget as HTMLButtonElement;
    const items = [...(handle.closest('ol')?.children ?? [])] as HTMLElement[];
    const middles = items.map((li) => {
      const rect = li.getBoundingClientRect();
      return rect.top + window.scrollY + rect.height / 2;
    });
    event.preventDefault();
    handle.focus();
    keepFocus(order[index]!.id);
    const start: Moving = { id: order[index]!.id, from: index, to: index, by: 'pointer' };
    movingRef.current = start;
    setMoving(start);
    const d = { middles, y: event.clientY, frame: 0, pointerId: event.pointerId };
    drag.current = d;
    const place = () => {
      const m = movingRef.current;
      if (!m) return;
      const to = dropIndex(d.middles, m.from, d.y + window.scrollY);
      if (to !== m.to) setMoving((movingRef.current = { ...m, to }));
    };
    // The list moves under the pointer as it goes (the dragged row's node moves in the DOM, which would end a
    // pointer capture), so the window follows the pointer until it is released.
    const onMove = (e: PointerEvent) => {
      if (e.pointerId !== d.pointerId) return;
      d.y = e.clientY;
      place();
    };
    const onEnd = (e: PointerEvent) => {
      if (e.pointerId !== d.pointerId) return;
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onEnd);
      window.removeEventListener('pointercancel', onEnd);
      cancelAnimationFrame(d.frame);
      drag.current = null;
      const m = movingRef.current;
      if (!m) return;
      if (e.type === 'pointercancel') {
        setMoving(null);
        focusAfter.current = null;
        return;
      }
      d.y = e.clientY;
      void commit({ ...m, to: dropIndex(d.middles, m.from, d.y + window.scrollY) });
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onEnd);
    window.addEventListener('pointercancel', onEnd);
    // Near the top or bottom of the window the page scrolls, so an episode can travel the whole list.
    const scroll = () => {
      if (drag.current !== d) return;
      const step = edgeScroll(d.y, window.innerHeight);
      if (step) {
        window.scrollBy(0, step);
        place();
      }
      d.frame = requestAnimationFrame(scroll);
    };
    d.frame = requestAnimationFrame(scroll);
  }

  const move = (episode: OwnerEpisode, to: number) => {
    keepFocus(episode.id);
    void commit({ id: episode.id, from: order.indexOf(episode), to, by: 'keyboard' });
  };

  const remove = (episode: OwnerEpisode) => {
    if (
      !confirm(t.t('dashboard.episodeList.deleteConfirm', { number: t.number(episode.number), title: episode.title }))
    )
      return;
    void act(episode, () => request(() => api.v1.episodes[':id'].$delete({ param: { id: episode.id } })));
  };

  return (
    <>
      <p id="reorder-help" class="visually-hidden">
        {t.t('dashboard.reorder.help')}
      </p>
      <p class="visually-hidden" aria-live="assertive" aria-atomic="true">
        {announcement}
      </p>
      <ol class={`episode-list${moving ? ' reordering' : ''}`}>
        {shown.map((episode, index) => (
          <li
            key={episode.id}
            class={`episode${moving?.id === episode.id ? ' moving' : ''}`}
            aria-busy={busy === episode.id}
          >
            <div class="episode-head">
              <button
                type="button"
                class="drag-handle"
                ref={(el) => {
                  if (el) handles.current.set(episode.id, el);
                  else handles.current.delete(episode.id);
                }}
                aria-label={t.t('dashboard.reorder.handle', { title: episode.title, place: place(index) })}
                aria-describedby="reorder-help"
                aria-pressed={moving?.id === episode.id}
                disabled={count < 2}
                onKeyDown={(e) => onHandleKey(e, index)}
                onPointerDown={(e) => onPointerDown(e, index)}
                onBlur={() => {
                  // Moving the row in the list can blur its handle for a moment (the focus is given back at once):
                  // only a real departure ends a keyboard move.
                  setTimeout(() => {
                    if (document.activeElement === handles.current.get(episode.id)) return;
                    setMoving((m) => {
                      if (m?.by !== 'keyboard' || m.id !== episode.id) return m;
                      focusAfter.current = null;
                      return null;
                    });
                  }, 0);
                }}
              >
                <span aria-hidden="true">⠿</span>
              </button>
              <span class="episode-number" aria-hidden="true">
                {moving ? index + 1 : episode.number}
              </span>
              <div class="episode-main">
                <strong class="episode-title">{episode.title}</strong>
                <span class="muted">
                  {episode.price === null ? t.t('dashboard.episodeList.free') : t.price(episode.price, currency)} ·{' '}
                  {formatDuration(episode.durationSeconds)}
                  {releaseWhen(episode.releaseAt, Date.now(), t.locale) && (
                    <>
                      {' · '}
                      <span class="badge neutral">
                        {t.t('dashboard.release.out', { date: releaseWhen(episode.releaseAt, Date.now(), t.locale)! })}
                      </span>
                    </>
                  )}
                  {episode.review && (
                    <>
                      {' · '}
                      <span class={`badge ${episode.review.state === 'pending' ? 'neutral' : 'danger'}`}>
                        {episode.review.state === 'pending'
                          ? t.t('dashboard.episode.inReview')
                          : t.t('dashboard.episode.rejected', { reason: episode.review.reason ?? '' })}
                      </span>
                    </>
                  )}
                  {episode.videoId &&
                    ` · ${t.t(episode.videoVerified ? 'dashboard.episodeList.linkedVerified' : 'dashboard.episodeList.linked', { id: episode.videoId })}`}
                </span>
              </div>
              <div class="episode-actions">
                <button
                  type="button"
                  class="button small icon"
                  aria-label={t.t('dashboard.episodeList.up', { title: episode.title })}
                  disabled={index === 0 || busy !== null || moving !== null}
                  onClick={() => move(episode, index - 1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  class="button small icon"
                  aria-label={t.t('dashboard.episodeList.down', { title: episode.title })}
                  disabled={index === count - 1 || busy !== null || moving !== null}
                  onClick={() => move(episode, index + 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  class="button small"
                  aria-expanded={editing === episode.id}
                  onClick={() => setEditing(editing === episode.id ? null : episode.id)}
                >
                  {t.t('dashboard.episodeList.edit')}
                </button>
                <button
                  type="button"
                  class="button small danger"
                  disabled={busy !== null || episode.sold}
                  aria-describedby={episode.sold ? `sold-${episode.id}` : undefined}
                  onClick={() => remove(episode)}
                >
                  {t.t('dashboard.episodeList.delete')}
                </button>
                {episode.sold && (
                  <span id={`sold-${episode.id}`} class="reason">
                    {t.t('dashboard.episode.soldReason')}
                  </span>
                )}
              </div>
            </div>
            {error?.id === episode.id && (
              <p class="form-error" role="alert">
                {error.message}
              </p>
            )}
            {editing === episode.id && (
              <EpisodeForm
                currency={currency}
                existing={episode}
                canPickVideos={canPickVideos}
                onCancel={() => setEditing(null)}
                onUpdate={async (patch) => {
                  await request(() => api.v1.episodes[':id'].$patch({ param: { id: episode.id }, json: patch }));
                  setEditing(null);
                  onChanged();
                }}
              />
            )}
            <MediaUpload
              episode={episode}
              onUploaded={onChanged}
              initialFile={upload?.episodeId === episode.id ? upload.file : undefined}
            />
            <FramePicker episode={episode} onSaved={onChanged} />
          </li>
        ))}
      </ol>
    </>
  );
}
