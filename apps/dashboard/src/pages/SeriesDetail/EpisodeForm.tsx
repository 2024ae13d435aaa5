import {
  checkPrice,
  episodeCreateSchema,
  episodePatchSchema,
  formatDuration,
  MAX_EPISODE_SECONDS,
  MAX_TITLE_LENGTH,
  type Currency,
  type EpisodeCreate,
  type EpisodePatch,
  videoIdInUrl,
} from '@series/core';
import { useState } from 'preact/hooks';
import { Field, fieldA11y, FormError } from '../../components/Field.js';
import { priceBoundsHint } from '../../components/SeriesForm.js';
import { ApiFailure } from '../../lib/api.js';
import { parseDuration } from '../../lib/format.js';
import { apiFieldErrors, fieldErrors, hasErrors, type FieldErrors } from '../../lib/form.js';
import { minorToDecimal, parseMoneyInput } from '../../lib/money.js';
import type { OwnerEpisode } from '../../lib/types.js';

const FIELDS = ['title', 'durationSeconds', 'price', 'videoId'];

/** A pasted video URL works as well as its id: `…/@handle/video/7300000000000000001` → the digits. */
export function videoIdFromInput(text: string): string | null {
  const t = text.trim();
  if (!t) return null;
  return videoIdInUrl(t) ?? t;
}

/**
 * Adds an episode (no `existing`) or edits one. Checked with the API's own schema and price rule before
 * sending, so the messages are the API's; the API still decides.
 */
export function EpisodeForm({
  currency,
  existing,
  onCreate,
  onUpdate,
  onCancel,
}: {
  currency: Currency;
  onCancel?: () => void;
} & (
  | { existing?: undefined; onCreate: (body: EpisodeCreate) => Promise<void>; onUpdate?: undefined }
  | { existing: OwnerEpisode; onUpdate: (patch: EpisodePatch) => Promise<void>; onCreate?: undefined }
)) {
  const [title, setTitle] = useState(existing?.title ?? '');
  const [free, setFree] = useState(existing ? existing.price === null : false);
  const [price, setPrice] = useState(existing?.price != null ? minorToDecimal(existing.price, currency) : '');
  const [duration, setDuration] = useState(existing ? formatDuration(existing.durationSeconds) : '');
  const [videoId, setVideoId] = useState(existing?.videoId ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  function collect() {
    const all = {
      title,
      durationSeconds: parseDuration(duration),
      price: free ? null : parseMoneyInput(price, currency),
      videoId: videoIdFromInput(videoId),
    };
    let found: FieldErrors;
    let create: EpisodeCreate | undefined;
    let patch: EpisodePatch | undefined;
    if (!existing) {
      create = { ...all, releaseAt: null };
      found = fieldErrors(episodeCreateSchema.safeParse(all));
    } else {
      patch = {};
      if (all.title !== existing.title) patch.title = all.title;
      if (all.durationSeconds !== existing.durationSeconds) patch.durationSeconds = all.durationSeconds;
      if (all.price !== existing.price) patch.price = all.price;
      if (all.videoId !== existing.videoId) patch.videoId = all.videoId;
      found = fieldErrors(episodePatchSchema.safeParse(patch));
    }
    // Bounds depend on the series currency: the same check the API runs after the schema.
    if (all.price !== null && !found['price']) {
      const problem = checkPrice(all.price, currency);
      if (problem) found['price'] = problem;
    }
    return { create, patch, found };
  }

  async function submit(e: Event) {
    e.preventDefault();
    const { create, patch, found } = collect();
    setErrors(found);
    if (hasErrors(found)) return;
    setBusy(true);
    try {
      if (onCreate && create) {
        await onCreate(create);
        // Ready for the next one (most episodes are premium).
        setTitle('');
        setFree(false);
        setPrice('');
        setDuration('');
        setVideoId('');
      }
      if (onUpdate && patch) await onUpdate(patch);
    } catch (err) {
      setErrors(err instanceof ApiFailure ? apiFieldErrors(err, FIELDS) : { '': String(err) });
    } finally {
      setBusy(false);
    }
  }

  const id = (name: string) => `${existing ? `ep-${existing.id}` : 'new-episode'}-${name}`;
  return (
    <form
      class="episode-form"
      onSubmit={submit}
      noValidate
      aria-label={existing ? `Edit episode ${existing.number}` : 'New episode'}
    >
      <Field id={id('title')} label="Title" error={errors['title']}>
        <input
          {...fieldA11y(id('title'), errors['title'])}
          name="title"
          maxLength={MAX_TITLE_LENGTH * 2}
          value={title}
          onInput={(e) => setTitle(e.currentTarget.value)}
        />
      </Field>
      <div class="field-row">
        <Field
          id={id('price')}
          label={`Price (${currency})`}
          error={errors['price']}
          hint={free ? 'Anyone can watch a free episode, e.g. a trailer.' : priceBoundsHint(currency)}
        >
          <input
            {...fieldA11y(id('price'), errors['price'], true)}
            name="price"
            inputMode="decimal"
            disabled={free}
            value={free ? '' : price}
            placeholder={free ? 'Free' : ''}
            onInput={(e) => setPrice(e.currentTarget.value)}
          />
          <label class="checkbox">
            <input type="checkbox" name="free" checked={free} onChange={(e) => setFree(e.currentTarget.checked)} /> Free
            episode
          </label>
        </Field>
        <Field
          id={id('duration')}
          label="Duration (m:ss)"
          error={errors['durationSeconds']}
          hint={`At most ${formatDuration(MAX_EPISODE_SECONDS)}. Uploading the video replaces it with the file's own length.`}
        >
          <input
            {...fieldA11y(id('duration'), errors['durationSeconds'], true)}
            name="duration"
            inputMode="numeric"
            placeholder="4:30"
            value={duration}
            onInput={(e) => setDuration(e.currentTarget.value)}
          />
        </Field>
      </div>
      <Field
        id={id('videoId')}
        label="Linked video (optional)"
        error={errors['videoId']}
        hint="The video-site video that sells this episode (its trailer): paste its URL or its numeric id."
      >
        <input
          {...fieldA11y(id('videoId'), errors['videoId'], true)}
          name="videoId"
          inputMode="url"
          spellcheck={false}
          value={videoId}
          onInput={(e) => setVideoId(e.currentTarget.value)}
        />
      </Field>
      <FormError message={errors['']} />
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Saving…' : existing ? 'Save episode' : 'Add episode'}
        </button>
        {onCancel && (
          <button type="button" class="button link" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
