import { formatDuration, type Currency } from '@series/core';
import { useState } from 'preact/hooks';
import { api, ApiFailure, request } from '../../lib/api.js';
import { money } from '../../lib/format.js';
import type { OwnerEpisode } from '../../lib/types.js';
import { EpisodeForm } from './EpisodeForm.js';
import { MediaUpload } from './MediaUpload.js';

/**
 * The episodes in order, with reorder, edit, video upload and delete. Every change goes to the API and
 * the list is then reloaded, so what is shown is what viewers get.
 */
export function EpisodeList({
  episodes,
  currency,
  onChanged,
}: {
  episodes: OwnerEpisode[];
  currency: Currency;
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ id: string; message: string } | null>(null);

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

  const move = (episode: OwnerEpisode, number: number) =>
    act(episode, () => request(() => api.v1.episodes[':id'].$patch({ param: { id: episode.id }, json: { number } })));

  const remove = (episode: OwnerEpisode) => {
    if (!confirm(`Delete episode ${episode.number}, “${episode.title}”? Its video is deleted too.`)) return;
    void act(episode, () => request(() => api.v1.episodes[':id'].$delete({ param: { id: episode.id } })));
  };

  return (
    <ol class="episode-list">
      {episodes.map((episode, index) => (
        <li key={episode.id} class="episode" aria-busy={busy === episode.id}>
          <div class="episode-head">
            <span class="episode-number" aria-hidden="true">
              {episode.number}
            </span>
            <div class="episode-main">
              <strong class="episode-title">{episode.title}</strong>
              <span class="muted">
                {episode.price === null ? 'Free' : money(episode.price, currency)} ·{' '}
                {formatDuration(episode.durationSeconds)}
                {episode.videoId && ` · linked to video ${episode.videoId}`}
              </span>
            </div>
            <div class="episode-actions">
              <button
                type="button"
                class="button small icon"
                aria-label={`Move “${episode.title}” up`}
                disabled={index === 0 || busy !== null}
                onClick={() => void move(episode, episode.number - 1)}
              >
                ↑
              </button>
              <button
                type="button"
                class="button small icon"
                aria-label={`Move “${episode.title}” down`}
                disabled={index === episodes.length - 1 || busy !== null}
                onClick={() => void move(episode, episode.number + 1)}
              >
                ↓
              </button>
              <button
                type="button"
                class="button small"
                aria-expanded={editing === episode.id}
                onClick={() => setEditing(editing === episode.id ? null : episode.id)}
              >
                Edit
              </button>
              <button
                type="button"
                class="button small danger"
                disabled={busy !== null}
                onClick={() => remove(episode)}
              >
                Delete
              </button>
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
              onCancel={() => setEditing(null)}
              onUpdate={async (patch) => {
                await request(() => api.v1.episodes[':id'].$patch({ param: { id: episode.id }, json: patch }));
                setEditing(null);
                onChanged();
              }}
            />
          )}
          <MediaUpload episode={episode} onUploaded={onChanged} />
        </li>
      ))}
    </ol>
  );
}
