import {
  checkPrice,
  CURRENCIES,
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
import { ApiFailure } from '../../lib/api.js';
import { parseDuration } from '../../lib/format.js';
import { apiFieldErrors, fieldErrors, hasErrors, type FieldErrors } from '../../lib/form.js';
import { minorToDecimal, parseMoneyInput } from '../../lib/money.js';
import { fromLocalInput, timeZone, titleFromFileName, toLocalInput } from '../../lib/schedule.js';
import { checkVideoFile } from '../../lib/upload.js';
import { useT } from '../../lib/i18n.js';
import type { OwnerEpisode } from '../../lib/types.js';
import { RecentVideos } from './RecentVideos.js';

const FIELDS = ['title', 'durationSeconds', 'price', 'videoId', 'releaseAt'];

/** A video chosen (or dropped) while adding an episode: its length read from the file, uploaded once it exists. */
interface ChosenVideo {
  file: File;
  durationSeconds: number;
}

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
  canPickVideos = false,
}: {
  currency: Currency;
  onCancel?: () => void;
  /** The creator connected TikTok and can pick from their videos (links are then checked as theirs). */
  canPickVideos?: boolean;
} & (
  | {
      existing?: undefined;
      /** The new episode, and the video to upload to it once it exists (chosen or dropped on the form). */
      onCreate: (body: EpisodeCreate, video: File | null) => Promise<void>;
      onUpdate?: undefined;
    }
  | { existing: OwnerEpisode; onUpdate: (patch: EpisodePatch) => Promise<void>; onCreate?: undefined }
)) {
  const t = useT();
  const [title, setTitle] = useState(existing?.title ?? '');
  const [free, setFree] = useState(existing ? existing.price === null : false);
  const [price, setPrice] = useState(existing?.price != null ? minorToDecimal(existing.price, currency) : '');
  const [duration, setDuration] = useState(existing ? formatDuration(existing.durationSeconds) : '');
  const [videoId, setVideoId] = useState(existing?.videoId ?? '');
  const [release, setRelease] = useState(toLocalInput(existing?.releaseAt));
  const [video, setVideo] = useState<ChosenVideo | null>(null);
  const [reading, setReading] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  function collect() {
    const releaseAt = fromLocalInput(release);
    const all = {
      title,
      durationSeconds: video ? video.durationSeconds : parseDuration(duration),
      price: free ? null : parseMoneyInput(price, currency),
      videoId: videoIdFromInput(videoId),
    };
    let found: FieldErrors;
    let create: EpisodeCreate | undefined;
    let patch: EpisodePatch | undefined;
    if (!existing) {
      create = { ...all, releaseAt: releaseAt ?? null };
      found = fieldErrors(episodeCreateSchema.safeParse(all));
    } else {
      patch = {};
      if (all.title !== existing.title) patch.title = all.title;
      if (all.durationSeconds !== existing.durationSeconds) patch.durationSeconds = all.durationSeconds;
      if (all.price !== existing.price) patch.price = all.price;
      if (all.videoId !== existing.videoId) patch.videoId = all.videoId;
      if (releaseAt !== undefined && releaseAt !== existing.releaseAt) {
        // The same minute as stored is no change (the field shows minutes).
        if (toLocalInput(releaseAt) !== toLocalInput(existing.releaseAt)) patch.releaseAt = releaseAt;
      }
      found = fieldErrors(episodePatchSchema.safeParse(patch));
    }
    // The field asks for m:ss: say so when what was typed is not that (the schema speaks in seconds).
    if (!video && Number.isNaN(all.durationSeconds) && (found['durationSeconds'] || (!existing && !duration.trim()))) {
      // What the duration field says when it cannot be read: the same m:ss it asks for.
      found['durationSeconds'] = t.t('dashboard.episodeForm.durationFormat');
    }
    if (releaseAt === undefined) found['releaseAt'] = t.t('dashboard.episodeForm.releaseInvalid');
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
        await onCreate(create, video?.file ?? null);
        // Ready for the next one (most episodes are premium).
        setTitle('');
        setFree(false);
        setPrice('');
        setDuration('');
        setVideoId('');
        setRelease('');
        setVideo(null);
      }
      if (onUpdate && patch) await onUpdate(patch);
    } catch (err) {
      setErrors(err instanceof ApiFailure ? apiFieldErrors(err, FIELDS) : { '': String(err) });
    } finally {
      setBusy(false);
    }
  }

  /** A video for the new episode: its length is read from the file (as the upload will), its name titles it. */
  async function chooseVideo(file: File) {
    setReading(true);
    setErrors((e) => ({ ...e, durationSeconds: '' }));
    try {
      const { durationSeconds } = await checkVideoFile(file);
      setVideo({ file, durationSeconds });
      setDuration(formatDuration(durationSeconds));
      setTitle((t) => (t.trim() ? t : titleFromFileName(file.name).slice(0, MAX_TITLE_LENGTH)));
      setErrors(({ durationSeconds: _, ...rest }) => rest);
    } catch (err) {
      setVideo(null);
      setErrors((e) => ({ ...e, durationSeconds: err instanceof ApiFailure ? err.message : String(err) }));
    } finally {
      setReading(false);
    }
  }

  const id = (name: string) => `${existing ? `ep-${existing.id}` : 'new-episode'}-${name}`;
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={
        existing
          ? t.t('dashboard.episodeForm.editLabel', { number: t.number(existing.number) })
          : t.t('dashboard.episodeForm.newLabel')
      }
      class={`episode-form${dragging ? ' dropping' : ''}`}
      onDragOver={(e) => {
        if (existing || !e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        if (existing) return;
        e.preventDefault();
        setDragging(false);
        const file = e.dataTransfer?.files[0];
        if (file) void chooseVideo(file);
      }}
    >
      {!existing && (
        <div class="video-drop">
          <p>
            {video
              ? t.t('dashboard.episodeForm.chosen', {
                  name: video.file.name,
                  duration: formatDuration(video.durationSeconds),
                })
              : reading
                ? t.t('dashboard.episodeForm.reading')
                : t.t('dashboard.episodeForm.dropHere')}
          </p>
          <label class="button small file-button" for={id('file')}>
            {video ? t.t('dashboard.episodeForm.chooseAnother') : t.t('dashboard.episodeForm.choose')}
            <input
              id={id('file')}
              class="visually-hidden"
              type="file"
              accept="video/mp4,video/webm,.mp4,.webm"
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                e.currentTarget.value = '';
                if (file) void chooseVideo(file);
              }}
            />
          </label>
          {video && (
            <button type="button" class="button small link" onClick={() => (setVideo(null), setDuration(''))}>
              {t.t('dashboard.episodeForm.noVideo')}
            </button>
          )}
        </div>
      )}
      <Field id={id('title')} label={t.t('dashboard.episodeForm.title')} error={errors['title']}>
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
          label={t.t('dashboard.episodeForm.price', { currency })}
          error={errors['price']}
          hint={
            free
              ? t.t('dashboard.episodeForm.freeHint')
              : t.t('dashboard.episodeForm.priceBounds', {
                  min: t.price(CURRENCIES[currency].min, currency),
                  max: t.price(CURRENCIES[currency].max, currency),
                })
          }
        >
          <input
            {...fieldA11y(id('price'), errors['price'], true)}
            name="price"
            inputMode="decimal"
            disabled={free}
            value={free ? '' : price}
            placeholder={free ? t.t('dashboard.episodeForm.freePlaceholder') : ''}
            onInput={(e) => setPrice(e.currentTarget.value)}
          />
          <label class="checkbox">
            <input type="checkbox" name="free" checked={free} onChange={(e) => setFree(e.currentTarget.checked)} />{' '}
            {t.t('dashboard.episodeForm.free')}
          </label>
        </Field>
        <Field
          id={id('duration')}
          label={t.t('dashboard.episodeForm.duration')}
          error={errors['durationSeconds']}
          hint={
            video || existing?.media
              ? t.t('dashboard.episodeForm.durationFromFile')
              : t.t('dashboard.episodeForm.durationHint', { max: formatDuration(MAX_EPISODE_SECONDS) })
          }
        >
          <input
            {...fieldA11y(id('duration'), errors['durationSeconds'], true)}
            name="duration"
            inputMode="numeric"
            placeholder="4:30"
            readOnly={video !== null || Boolean(existing?.media)}
            value={duration}
            onInput={(e) => setDuration(e.currentTarget.value)}
          />
        </Field>
      </div>
      <Field
        id={id('release')}
        label={t.t('dashboard.episodeForm.release', { zone: timeZone() })}
        error={errors['releaseAt']}
        hint={t.t('dashboard.episodeForm.releaseHint')}
      >
        <input
          {...fieldA11y(id('release'), errors['releaseAt'], true)}
          name="release"
          type="datetime-local"
          value={release}
          onInput={(e) => setRelease(e.currentTarget.value)}
        />
        {release && (
          <button type="button" class="button small link" onClick={() => setRelease('')}>
            {t.t('dashboard.episodeForm.clearRelease')}
          </button>
        )}
      </Field>
      <Field
        id={id('videoId')}
        label={t.t('dashboard.episodeForm.videoId')}
        error={errors['videoId']}
        hint={canPickVideos ? t.t('dashboard.episodeForm.videoIdPickHint') : t.t('dashboard.episodeForm.videoIdHint')}
      >
        <input
          {...fieldA11y(id('videoId'), errors['videoId'], true)}
          name="videoId"
          inputMode="url"
          spellcheck={false}
          value={videoId}
          onInput={(e) => setVideoId(e.currentTarget.value)}
        />
        {canPickVideos && <RecentVideos picked={videoIdFromInput(videoId) ?? ''} onPick={setVideoId} />}
      </Field>
      <FormError message={errors['']} />
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy
            ? t.t('dashboard.episodeForm.saving')
            : existing
              ? t.t('dashboard.episodeForm.save')
              : t.t('dashboard.episodeForm.add')}
        </button>
        {onCancel && (
          <button type="button" class="button link" onClick={onCancel}>
            {t.t('dashboard.episodeForm.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
