import { useState } from 'preact/hooks';
import { useT } from '../../lib/i18n.js';
import { isSource, normaliseSource, SOURCE_PRESETS } from '../../lib/links.js';

export type SourceChoice = 'none' | (typeof SOURCE_PRESETS)[number] | 'other';

export interface SourceState {
  /** What the links carry as `?src=`: null for none, and while a typed word is not valid yet. */
  source: string | null;
  /** Why a typed word cannot be used, if it cannot. */
  error: string | null;
}

const OPTIONS: SourceChoice[] = ['none', ...SOURCE_PRESETS, 'other'];

/** Why a typed word cannot be used (English; shown as dashboard.source.invalid, its catalogue text). */
export const INVALID_SOURCE =
  'Use one short lower-case word: letters, digits, - or _, at most 24 characters, starting with a letter or digit. Until then the links carry no source.';

/** The source state of a choice and a typed word (pure, so the picker and its tests agree). */
export function sourceOf(choice: SourceChoice, typed: string): SourceState {
  if (choice === 'none') return { source: null, error: null };
  if (choice !== 'other') return { source: choice, error: null };
  const word = normaliseSource(typed);
  if (!word) return { source: null, error: null };
  return isSource(word) ? { source: word, error: null } : { source: null, error: INVALID_SOURCE };
}

/** Picks the `?src=` word the links below it carry: none, a ready-made one, or the creator's own. */
export function SourcePicker({ id, onChange }: { id: string; onChange: (state: SourceState) => void }) {
  const t = useT();
  const [choice, setChoice] = useState<SourceChoice>('none');
  const [typed, setTyped] = useState('');
  const state = sourceOf(choice, typed);
  const update = (nextChoice: SourceChoice, nextTyped: string) => {
    setChoice(nextChoice);
    setTyped(nextTyped);
    onChange(sourceOf(nextChoice, nextTyped));
  };

  return (
    <div class="source-picker">
      <fieldset class="segmented">
        <legend>{t.t('dashboard.source.legend')}</legend>
        {OPTIONS.map((value) => (
          <label key={value} class={value === choice ? 'active' : ''}>
            <input
              type="radio"
              name={`${id}-source`}
              value={value}
              checked={value === choice}
              onChange={() => update(value, typed)}
            />
            {value === 'none'
              ? t.t('dashboard.source.none')
              : value === 'other'
                ? t.t('dashboard.source.other')
                : value}
          </label>
        ))}
      </fieldset>
      {choice === 'other' && (
        <div class={state.error ? 'field has-error' : 'field'}>
          <label for={`${id}-word`}>{t.t('dashboard.source.word')}</label>
          <input
            id={`${id}-word`}
            value={typed}
            maxLength={40}
            autoComplete="off"
            spellcheck={false}
            placeholder="newsletter"
            aria-invalid={state.error ? true : undefined}
            aria-describedby={state.error ? `${id}-word-error` : undefined}
            onInput={(e) => update('other', e.currentTarget.value)}
          />
          {state.error && (
            <p class="field-error" id={`${id}-word-error`}>
              {t.t('dashboard.source.invalid')}
            </p>
          )}
        </div>
      )}
      <p class="hint">
        {state.source ? (
          <>
            {t.t('dashboard.source.carries')} <code>?src={state.source}</code>
            {t.t('dashboard.source.carriesAfter')}
          </>
        ) : (
          t.t('dashboard.source.pick')
        )}
      </p>
    </div>
  );
}
