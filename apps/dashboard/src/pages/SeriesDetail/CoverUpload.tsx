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
import type { OwnerSeries } from '../../lib/types.js';

type State =
  { kind: 'idle' } | { kind: 'cropping'; image: ImageBitmap; name: string; position: number } | { kind: 'saving' };

/**
 * The series' cover: choose a PNG, JPEG or WebP picture, place its 3:4 crop (the shape the storefront and the
 * extension show), see it, save. The browser draws the crop again (a new file, without the photo's metadata) and
 * a 48 × 64 copy for the extension; the worker checks the bytes and strips metadata once more.
 */
export function CoverUpload({ series, onSaved }: { series: OwnerSeries; onSaved: () => void }) {
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
    if (problem) return setError(problem);
    try {
      const image = await createImageBitmap(file);
      setState({ kind: 'cropping', image, name: file.name, position: 0.5 });
    } catch {
      setError('This file could not be read as an image. Choose a PNG, JPEG or WebP image.');
    }
  }

  async function save(image: ImageBitmap, position: number) {
    setState({ kind: 'saving' });
    setError(null);
    try {
      const { cover, thumbnail } = await coverFiles(image, coverCrop(image.width, image.height, position));
      await sendImages('PUT', `/v1/series/${series.id}/cover`, { image: cover, thumbnail });
      setState({ kind: 'idle' });
      setStatus('Cover saved.');
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
      setStatus('Cover removed.');
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
            aria-label="Preview of the new cover, as the storefront shows it (3:4)"
          />
          <div class="field">
            <label for={`${inputId}-position`}>
              {cropsVertically(state.image.width, state.image.height)
                ? 'Crop position (top to bottom)'
                : 'Crop position (left to right)'}
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
              Save cover
            </button>
            <button type="button" class="button" onClick={() => setState({ kind: 'idle' })}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div class="cover-current">
          {series.coverUrl ? (
            <img class="cover" src={series.coverUrl} alt={`Cover of ${series.title}`} width={150} height={200} />
          ) : (
            <p class="muted">No cover yet. The storefront shows the series without a picture.</p>
          )}
          <div class="actions">
            <label class={`button file-button${state.kind === 'saving' ? ' disabled' : ''}`} for={inputId}>
              {state.kind === 'saving' ? 'Saving…' : series.coverUrl ? 'Replace cover' : 'Upload a cover'}
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
                Remove cover
              </button>
            )}
          </div>
          <p id={`${inputId}-hint`} class="hint">
            PNG, JPEG or WebP. You place its 3:4 crop next; location and camera details are removed.
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
