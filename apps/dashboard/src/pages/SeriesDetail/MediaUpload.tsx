import { formatDuration } from '@series/core';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure } from '../../lib/api.js';
import { formatBytes, percent } from '../../lib/format.js';
import type { OwnerEpisode } from '../../lib/types.js';
import { rememberedUpload, uploadEpisodeMedia, type UploadProgress } from '../../lib/upload.js';

/** What to do about a file the browser (or the worker) refused, beyond the reason itself. */
const HINTS: Record<string, string> = {
  episode_too_long: 'Trim it to 20 minutes or less, then choose it again.',
  duration_mismatch: 'Its header and its media disagree: export the video again from your editing app.',
  duplicate_movie_header: 'Export the video again from your editing app.',
  media_too_complex: 'Save it again as a regular MP4 (not fragmented), then choose it again.',
  unsupported_media: 'Choose an MP4 or WebM video.',
  truncated_media: 'The file is incomplete: copy or export it again.',
};

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
        setState({ kind: 'paused', file, progress: last, reason: 'Paused.' });
      } else if (err instanceof ApiFailure && (err.unreachable || err.status >= 500 || err.status === 429)) {
        // Worth resuming: the parts that arrived are kept by the API.
        setState({ kind: 'paused', file, progress: last, reason: err.message });
      } else if (err instanceof ApiFailure) {
        const hint = HINTS[err.code];
        setState({ kind: 'failed', message: hint ? `${err.message}. ${hint}` : err.message });
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
            Video: {episode.media.contentType === 'video/webm' ? 'WebM' : 'MP4'}, {formatBytes(episode.media.size ?? 0)}
            , <strong>{formatDuration(episode.durationSeconds)}</strong> (read from the file)
          </>
        ) : (
          <>No video yet.</>
        )}
      </p>
      {progress && (
        <div class="progress-row">
          {progress.phase === 'checking' ? (
            <progress aria-label={`Upload of ${episode.title}`} />
          ) : (
            <progress value={progress.sent} max={progress.total} aria-label={`Upload of ${episode.title}`} />
          )}
          <span role="status">
            {progress.phase === 'checking'
              ? 'Reading the file…'
              : progress.phase === 'verifying'
                ? 'Checking the video…'
                : `${progress.durationSeconds !== undefined ? `${formatDuration(progress.durationSeconds)} video: ` : ''}${formatBytes(progress.sent)} of ${formatBytes(progress.total)} (${percent(progress.total ? progress.sent / progress.total : 0)})`}
          </span>
        </div>
      )}
      {state.kind === 'running' && state.progress.phase === 'uploading' && (
        <button type="button" class="button small" onClick={() => controller.current?.abort()}>
          Pause
        </button>
      )}
      {state.kind === 'paused' && (
        <p class="notice">
          {state.reason}{' '}
          <button type="button" class="button small primary" onClick={() => void run(state.file)}>
            Resume upload
          </button>
        </p>
      )}
      {state.kind === 'failed' && (
        <p class="form-error" role="alert">
          {state.message}
        </p>
      )}
      {interrupted && (
        <p class="notice">
          An upload of “{interrupted.name}” was interrupted. Choose the same file to continue where it stopped.
        </p>
      )}
      {state.kind !== 'running' && (
        <label class="button small file-button" for={inputId}>
          {episode.media ? 'Replace video' : 'Upload video'}
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
