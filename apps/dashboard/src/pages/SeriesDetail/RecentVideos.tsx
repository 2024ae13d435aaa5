import { formatDuration } from '@series/core';
import { useState } from 'preact/hooks';
import { ApiFailure, api, request } from '../../lib/api.js';
import { errorText, useT } from '../../lib/i18n.js';

interface Video {
  id: string;
  title: string;
  durationSeconds: number | null;
  createdAt: string | null;
}

/**
 * "Pick from your TikTok videos": the creator's recent videos, newest first (20 at a time, "More" continues), read
 * from TikTok with their connection; picking one fills the linked video.
 */
export function RecentVideos({ onPick, picked }: { onPick: (id: string) => void; picked: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [videos, setVideos] = useState<Video[]>([]);
  const [cursor, setCursor] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function load(from: number | null) {
    setBusy(true);
    setError(null);
    try {
      const page = await request(() => api.v1.me.tiktok.videos.$get({ query: from ? { cursor: String(from) } : {} }));
      setVideos((v) => (from ? [...v, ...page.videos] : page.videos));
      setCursor(page.cursor);
    } catch (err) {
      setError(err instanceof ApiFailure ? errorText(t, err) : String(err));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <button
        type="button"
        class="button link"
        onClick={() => {
          setOpen(true);
          void load(null);
        }}
      >
        {t.t('dashboard.recentVideos.pick')}
      </button>
    );
  }
  return (
    <div class="recent-videos" role="group" aria-label={t.t('dashboard.recentVideos.label')}>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {videos.length === 0 && !busy && !error && <p class="muted">{t.t('dashboard.recentVideos.none')}</p>}
      <ul class="plain-list">
        {videos.map((v) => (
          <li key={v.id}>
            <button
              type="button"
              class={`button${picked === v.id ? ' primary' : ''}`}
              aria-pressed={picked === v.id}
              onClick={() => onPick(v.id)}
            >
              {v.title || t.t('dashboard.recentVideos.untitled', { id: v.id })}
            </button>{' '}
            <span class="muted">
              {v.durationSeconds !== null && formatDuration(v.durationSeconds)}
              {v.createdAt && ` · ${t.dateTime(v.createdAt)}`}
            </span>
          </li>
        ))}
      </ul>
      {busy && (
        <p class="muted" role="status">
          {t.t('dashboard.recentVideos.loading')}
        </p>
      )}
      {cursor !== null && !busy && (
        <button type="button" class="button link" onClick={() => void load(cursor)}>
          {t.t('dashboard.recentVideos.more')}
        </button>
      )}
    </div>
  );
}
