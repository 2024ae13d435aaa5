import { creatorClaimSchema, MAX_DISPLAY_NAME_LENGTH } from '@series/core';
import { useState } from 'preact/hooks';
import { Field, fieldA11y, FormError } from '../../components/Field.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { useT } from '../../lib/i18n.js';
import { apiFieldErrors, fieldErrors, hasErrors, type FieldErrors } from '../../lib/form.js';

/** Claims the creator's video-site handle; the account then waits for an admin's approval. */
export function ClaimHandleForm({ onClaimed }: { onClaimed: () => void | Promise<void> }) {
  const t = useT();
  const [handle, setHandle] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    const body = { handle, displayName };
    const checked = fieldErrors(creatorClaimSchema.safeParse(body));
    setErrors(checked);
    if (hasErrors(checked)) return;
    setBusy(true);
    try {
      await request(() => api.v1.creators.$post({ json: body }));
      await onClaimed();
    } catch (err) {
      const failure = err instanceof ApiFailure ? err : new ApiFailure(0, 'client_error', String(err));
      // A taken handle is about the handle field, whatever the API's issue list says.
      setErrors(
        failure.code === 'handle_taken'
          ? { handle: failure.message }
          : apiFieldErrors(failure, ['handle', 'displayName']),
      );
      setBusy(false);
    }
  }

  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="claim-title">
      <h2 id="claim-title">{t.t('dashboard.claim.title')}</h2>
      <p>{t.t('dashboard.claim.why')}</p>
      <Field
        id="handle"
        label={t.t('dashboard.claim.handle')}
        error={errors['handle']}
        hint={t.t('dashboard.claim.handleHint')}
      >
        <div class="input-prefix">
          <span aria-hidden="true">@</span>
          <input
            {...fieldA11y('handle', errors['handle'], true)}
            name="handle"
            autocomplete="off"
            spellcheck={false}
            value={handle}
            onInput={(e) => setHandle(e.currentTarget.value)}
          />
        </div>
      </Field>
      <Field id="displayName" label={t.t('dashboard.claim.displayName')} error={errors['displayName']}>
        <input
          {...fieldA11y('displayName', errors['displayName'])}
          name="displayName"
          maxLength={MAX_DISPLAY_NAME_LENGTH * 2}
          value={displayName}
          onInput={(e) => setDisplayName(e.currentTarget.value)}
        />
      </Field>
      <FormError message={errors['']} />
      <button type="submit" class="button primary" disabled={busy}>
        {busy ? t.t('dashboard.claim.claiming') : t.t('dashboard.claim.submit')}
      </button>
    </form>
  );
}
