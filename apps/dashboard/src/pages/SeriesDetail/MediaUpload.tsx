import { formatDuration } from '@series/core';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure } from '../../lib/api.js';
import { formatBytes, percent } from '../../lib/format.js';
import { errorText, useT } from '../../lib/i18n.js';
import type { OwnerEpisode } from '../../lib/types.js';
import { rememberedUpload, uploadEpisodeMedia, type UploadProgress } from '../../lib/upload.js';

/** What to do about a file the browser (or the worker) refused, beyond the reason itself (by its code). */
const HINTS = {
  episode_too_long: 'dashboard.media.hint.episode_too_long',
  duration_mismatch: 'dashboard.media.hint.duration_mismatch',
  duplicate_movie_header: 'dashboard.media.hint.duplicate_movie_header',
  media_too_complex: 'dashboard.media.hint.media_too_complex',
  unsupported_media: 'dashboard.media.hint.unsupported_media',
  truncated_media: 'dashboard.media.hint.truncated_media',
} as const;

type State =
  | { kind: 'idle' }
  | { kind: 'running'; file: File; progress: UploadProgress }
  | { kind: 'paused'; file: File; progress: UploadProgress | null; reason: string }
  | { kind: 'failed'; message: string };

/**
 * Upload (or replace) an episode's video, with progress, pause and resume. The file is read in the browser first
 * (a video over 20 minutes, or not a video, is refused before anything is sent); the episode keeps its current
 * video until the new one has been verified by the worker.
 */
export function MediaUpload({
  episode,
  onUploaded,
  initialFile,
}: {
  episode: OwnerEpisode;
  onUploaded: () => void;
  /** A file chosen before the episode existed (added with its video): uploaded at once. */
  initialFile?: File;
}) {
  const t = useT();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const controller = useRef<AbortController | null>(null);
  const interrupted = state.kind === 'idle' ? rememberedUpload(episode.id) : null;
  const inputId = `media-${episode.id}`;

  useEffect(() => () => controller.current?.abort(), []);
  useEffect(() => {
    if (initialFile) void run(initialFile);
  }, [initialFile]);

  async function run(file: File) {
    const abort = new AbortController();
    controller.current = abort;
    let last: UploadProgress | null = null;
    setState({ kind: 'running', file, progress: { sent: 0, total: file.size, phase: 'uploading' } });
    try {
      await uploadEpisodeMedia(episode.id, file, {
        signal: abort.signal,
        onProgress: (progress) => {
          last = progress;
          setState({ kind: 'running', file, progress });
        },
      });
      setState({ kind: 'idle' });
      onUploaded();
    } catch (err) {
      if (abort.signal.aborted) {
        setState({ kind: 'paused', file, progress: last, reason: t.t('dashboard.media.paused') });
      } else if (err instanceof ApiFailure && (err.unreachable || err.status >= 500 || err.status === 429)) {
        // Worth resuming: the parts that arrived are kept by the API.
        setState({ kind: 'paused', file, progress: last, reason: errorText(t, err) });
      } else if (err instanceof ApiFailure) {
        const hint = HINTS[err.code as keyof typeof HINTS];
        const message = errorText(t, err);
        setState({ kind: 'failed', message: hint ? `${message}. ${t.t(hint)}` : message });
      } else {
        setState({ kind: 'failed', message: String(err) });
      }
    }
  }

  const progress = state.kind === 'running' || state.kind === 'paused' ? state.progress : null;
  return (
    <div class="media-upload">
      <p class="media-status">
        {episode.media ? (
          <>
            {t.t('dashboard.media.video', {
              type: episode.media.contentType === 'video/webm' ? 'WebM' : 'MP4',
              size: formatBytes(episode.media.size ?? 0, t.locale),
            })}
            , <strong>{formatDuration(episode.durationSeconds)}</strong> {t.t('dashboard.media.fromFile')}
          </>
        ) : (
          <>{t.t('dashboard.media.none')}</>
        )}
      </p>
      {progress && (
        <div class="progress-row">
          {progress.phase === 'checking' ? (
            <progress aria-label={t.t('dashboard.media.progress', { title: episode.title })} />
          ) : (
            <progress
              value={progress.sent}
              max={progress.total}
              aria-label={t.t('dashboard.media.progress', { title: episode.title })}
            />
          )}
          <span role="status">
            {progress.phase === 'checking'
              ? t.t('dashboard.media.reading')
              : progress.phase === 'verifying'
                ? t.t('dashboard.media.checking')
                : `${progress.durationSeconds !== undefined ? t.t('dashboard.media.ofLength', { duration: formatDuration(progress.durationSeconds) }) : ''}${t.t('dashboard.media.sent', { sent: formatBytes(progress.sent, t.locale), total: formatBytes(progress.total, t.locale), percent: percent(progress.total ? progress.sent / progress.total : 0, t.locale) })}`}
          </span>
        </div>
      )}
      {state.kind === 'running' && state.progress.phase === 'uploading' && (
        <button type="button" class="button small" onClick={() => controller.current?.abort()}>
          {t.t('dashboard.media.pause')}
        </button>
      )}
      {state.kind === 'paused' && (
        <p class="notice">
          {state.reason}{' '}
          <button type="button" class="button small primary" onClick={() => void run(state.file)}>
            {t.t('dashboard.media.resume')}
          </button>
        </p>
      )}
      {state.kind === 'failed' && (
        <p class="form-error" role="alert">
          {state.message}
        </p>
      )}
      {interrupted && <p class="notice">{t.t('dashboard.media.interrupted', { name: interrupted.name })}</p>}
      {state.kind !== 'running' && (
        <label class="button small file-button" for={inputId}>
          {episode.media ? t.t('dashboard.media.replace') : t.t('dashboard.media.upload')}
          <input
            id={inputId}
            class="visually-hidden"
            type="file"
            accept="video/mp4,video/webm,.mp4,.webm"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) void run(file);
            }}
          />
        </label>
      )}
    </div>
  );
}
