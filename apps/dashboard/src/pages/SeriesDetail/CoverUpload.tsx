import { useEffect, useRef, useState } from 'preact/hooks';
import {
  coverCrop,
  coverFileProblem,
  coverFiles,
  cropsVertically,
  drawCanvas,
  imageError,
  sendImages,
} from '../../lib/images.js';
import { useT } from '../../lib/i18n.js';
import type { OwnerSeries } from '../../lib/types.js';

type State =
  { kind: 'idle' } | { kind: 'cropping'; image: ImageBitmap; name: string; position: number } | { kind: 'saving' };

/**
 * The series' cover: choose a PNG, JPEG or WebP picture, place its 3:4 crop (the shape the storefront and the
 * extension show), see it, save. The browser draws the crop again (a new file, without the photo's metadata) and
 * a 48 × 64 copy for the extension; the worker checks the bytes and strips metadata once more.
 */
export function CoverUpload({ series, onSaved }: { series: OwnerSeries; onSaved: () => void }) {
  const t = useT();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const preview = useRef<HTMLCanvasElement>(null);
  const inputId = `cover-${series.id}`;
  const errorId = `${inputId}-error`;

  useEffect(() => {
    if (state.kind !== 'cropping' || !preview.current) return;
    const { image, position } = state;
    const rect = coverCrop(image.width, image.height, position);
    const ctx = preview.current.getContext('2d');
    ctx?.drawImage(drawCanvas(image, rect, 150, 200), 0, 0);
  }, [state]);

  async function choose(file: File) {
    setError(null);
    setStatus('');
    const problem = coverFileProblem(file);
    if (problem) return setError(t.t(problem === 'tooBig' ? 'dashboard.cover.tooBig' : 'dashboard.cover.wrongType'));
    try {
      const image = await createImageBitmap(file);
      setState({ kind: 'cropping', image, name: file.name, position: 0.5 });
    } catch {
      setError(t.t('dashboard.cover.unreadable'));
    }
  }

  async function save(image: ImageBitmap, position: number) {
    setState({ kind: 'saving' });
    setError(null);
    try {
      const { cover, thumbnail } = await coverFiles(image, coverCrop(image.width, image.height, position));
      await sendImages('PUT', `/v1/series/${series.id}/cover`, { image: cover, thumbnail });
      setState({ kind: 'idle' });
      setStatus(t.t('dashboard.cover.saved'));
      onSaved();
    } catch (err) {
      setState({ kind: 'cropping', image, name: '', position });
      setError(imageError(err));
    }
  }

  async function remove() {
    setError(null);
    try {
      await sendImages('DELETE', `/v1/series/${series.id}/cover`);
      setStatus(t.t('dashboard.cover.removed'));
      onSaved();
    } catch (err) {
      setError(imageError(err));
    }
  }

  return (
    <div class="cover-upload">
      {state.kind === 'cropping' ? (
        <div class="cover-crop">
          <canvas
            ref={preview}
            class="cover-preview"
            width={150}
            height={200}
            role="img"
            aria-label={t.t('dashboard.cover.preview')}
          />
          <div class="field">
            <label for={`${inputId}-position`}>
              {cropsVertically(state.image.width, state.image.height)
                ? t.t('dashboard.cover.positionVertical')
                : t.t('dashboard.cover.positionHorizontal')}
            </label>
            <input
              id={`${inputId}-position`}
              type="range"
              min={0}
              max={100}
              value={Math.round(state.position * 100)}
              onInput={(e) => setState({ ...state, position: Number(e.currentTarget.value) / 100 })}
            />
          </div>
          <div class="actions">
            <button type="button" class="button primary" onClick={() => void save(state.image, state.position)}>
              {t.t('dashboard.cover.save')}
            </button>
            <button type="button" class="button" onClick={() => setState({ kind: 'idle' })}>
              {t.t('dashboard.cover.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div class="cover-current">
          {series.coverUrl ? (
            <img
              class="cover"
              src={series.coverUrl}
              alt={t.t('dashboard.cover.alt', { title: series.title })}
              width={150}
              height={200}
            />
          ) : (
            <p class="muted">{t.t('dashboard.cover.none')}</p>
          )}
          <div class="actions">
            <label class={`button file-button${state.kind === 'saving' ? ' disabled' : ''}`} for={inputId}>
              {state.kind === 'saving'
                ? t.t('dashboard.cover.saving')
                : series.coverUrl
                  ? t.t('dashboard.cover.replace')
                  : t.t('dashboard.cover.upload')}
              <input
                id={inputId}
                class="visually-hidden"
                type="file"
                accept="image/png,image/jpeg,image/webp"
                disabled={state.kind === 'saving'}
                aria-describedby={`${inputId}-hint${error ? ` ${errorId}` : ''}`}
                onChange={(e) => {
                  const file = e.currentTarget.files?.[0];
                  e.currentTarget.value = '';
                  if (file) void choose(file);
                }}
              />
            </label>
            {series.coverUrl && state.kind === 'idle' && (
              <button type="button" class="button" onClick={() => void remove()}>
                {t.t('dashboard.cover.remove')}
              </button>
            )}
          </div>
          <p id={`${inputId}-hint`} class="hint">
            {t.t('dashboard.cover.hint')}
          </p>
        </div>
      )}
      {error && (
        <p id={errorId} class="form-error" role="alert">
          {error}
        </p>
      )}
      <p class="visually-hidden" role="status">
        {status}
      </p>
    </div>
  );
}
