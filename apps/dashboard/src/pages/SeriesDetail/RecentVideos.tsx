import { formatDuration } from '@series/core';
import { useState } from 'preact/hooks';
import { ApiFailure, api, request } from '../../lib/api.js';
import { formatDateTime } from '../../lib/format.js';

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
      setError(err instanceof ApiFailure ? err.message : String(err));
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
        Pick from your TikTok videos
      </button>
    );
  }
  return (
    <div class="recent-videos" role="group" aria-label="Your recent TikTok videos">
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {videos.length === 0 && !busy && !error && <p class="muted">No videos on your TikTok account yet.</p>}
      <ul class="plain-list">
        {videos.map((v) => (
          <li key={v.id}>
            <button
              type="button"
              class={`button${picked === v.id ? ' primary' : ''}`}
              aria-pressed={picked === v.id}
              onClick={() => onPick(v.id)}
            >
              {v.title || `Video ${v.id}`}
            </button>{' '}
            <span class="muted">
              {v.durationSeconds !== null && formatDuration(v.durationSeconds)}
              {v.createdAt && ` · ${formatDateTime(v.createdAt)}`}
            </span>
          </li>
        ))}
      </ul>
      {busy && (
        <p class="muted" role="status">
          Loading your videos…
        </p>
      )}
      {cursor !== null && !busy && (
        <button type="button" class="button link" onClick={() => void load(cursor)}>
          More videos
        </button>
      )}
    </div>
  );
}
