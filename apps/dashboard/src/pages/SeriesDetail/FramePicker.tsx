import { formatDuration } from '@series/core';
import { useRef, useState } from 'preact/hooks';
import { api, request } from '../../lib/api.js';
import { canvasBlob, drawCanvas, imageError, sendImages } from '../../lib/images.js';
import { useT } from '../../lib/i18n.js';
import type { OwnerEpisode } from '../../lib/types.js';

/** The widest a thumbnail frame is drawn (the storefront's list and the player's poster). */
const FRAME_WIDTH = 640;

/**
 * An episode's thumbnail: a frame of its own video, picked with a slider on a `<video>` of the uploaded file and
 * drawn into a canvas in the browser (the video comes from this origin, so the canvas may be read). The storefront
 * lists it and the player shows it before playing.
 */
export function FramePicker({ episode, onSaved }: { episode: OwnerEpisode; onSaved: () => void }) {
  const t = useT();
  const [open, setOpen] = useState<{ url: string } | null>(null);
  const [at, setAt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const video = useRef<HTMLVideoElement>(null);
  const sliderId = `frame-${episode.id}`;

  async function start() {
    setError(null);
    setBusy(true);
    try {
      const access = await request(() => api.v1.episodes[':id'].access.$get({ param: { id: episode.id } }));
      setAt(Math.min(1, episode.durationSeconds / 2));
      setOpen({ url: (access as { playbackUrl: string }).playbackUrl });
    } catch (err) {
      setError(imageError(err));
    } finally {
      setBusy(false);
    }
  }

  async function use() {
    const v = video.current;
    if (!v || !v.videoWidth) return setError(t.t('dashboard.frame.loading'));
    setBusy(true);
    setError(null);
    try {
      const width = Math.min(FRAME_WIDTH, v.videoWidth);
      const height = Math.round((width * v.videoHeight) / v.videoWidth);
      const frame = drawCanvas(v, { x: 0, y: 0, width: v.videoWidth, height: v.videoHeight }, width, height);
      await sendImages('PUT', `/v1/episodes/${episode.id}/thumbnail`, { image: await canvasBlob(frame, 0.8) });
      setOpen(null);
      setStatus(t.t('dashboard.frame.saved', { time: formatDuration(Math.floor(at)) }));
      onSaved();
    } catch (err) {
      setError(imageError(err));
    } finally {
      setBusy(false);
    }
  }

  if (!episode.hasVideo) return null;
  return (
    <div class="frame-picker">
      {!open ? (
        <div class="frame-current">
          {episode.thumbnailUrl && (
            <img
              class="frame-thumb"
              src={episode.thumbnailUrl}
              alt={t.t('dashboard.frame.alt', { title: episode.title })}
              width={80}
              height={45}
            />
          )}
          <button type="button" class="button small" disabled={busy} onClick={() => void start()}>
            {episode.thumbnailUrl ? t.t('dashboard.frame.change') : t.t('dashboard.frame.pick')}
          </button>
        </div>
      ) : (
        <div class="frame-choose">
          <video
            ref={video}
            class="frame-video"
            src={open.url}
            preload="auto"
            muted
            playsInline
            aria-label={t.t('dashboard.frame.video', { title: episode.title })}
            onLoadedMetadata={(e) => (e.currentTarget.currentTime = at)}
          />
          <div class="field">
            <label for={sliderId}>{t.t('dashboard.frame.at', { time: formatDuration(Math.floor(at)) })}</label>
            <input
              id={sliderId}
              type="range"
              min={0}
              max={Math.max(0, episode.durationSeconds - 0.1)}
              step={0.1}
              value={at}
              onInput={(e) => {
                const t = Number(e.currentTarget.value);
                setAt(t);
                if (video.current) video.current.currentTime = t;
              }}
            />
          </div>
          <div class="actions">
            <button type="button" class="button small primary" disabled={busy} onClick={() => void use()}>
              {t.t('dashboard.frame.use')}
            </button>
            <button type="button" class="button small" onClick={() => setOpen(null)}>
              {t.t('dashboard.frame.cancel')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <p class="visually-hidden" role="status">
        {status}
      </p>
    </div>
  );
}
