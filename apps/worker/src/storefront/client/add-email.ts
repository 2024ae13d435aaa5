import { api, codeOf, Offline } from './api.js';
import { $, t } from './data.js';
import { refreshViewer } from './viewer.js';

/**
 * An account made with "Continue with TikTok" adds its email address (and, optionally, a password) before its
 * first purchase: receipts go there. Resolves true once added, false when the viewer closes the dialog.
 */
export function addEmail(): Promise<boolean> {
  const dialog = $<HTMLDialogElement>('sf-add-email');
  const form = $<HTMLFormElement>('sf-add-email-form');
  if (!dialog || !form) return Promise.resolve(false);
  const email = $<HTMLInputElement>('sf-add-email-address')!;
  const password = $<HTMLInputElement>('sf-add-email-password')!;
  const submit = $<HTMLButtonElement>('sf-add-email-submit')!;
  const formError = $('sf-add-email-error')!;
  const fieldError = (input: HTMLInputElement, text: string | null) => {
    const el = $(`${input.id}-error`)!;
    el.textContent = text ?? '';
    el.hidden = !text;
    input.setAttribute('aria-invalid', text ? 'true' : 'false');
  };
  fieldError(email, null);
  fieldError(password, null);
  formError.textContent = '';

  return new Promise((resolve) => {
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('close', onClose);
      $('sf-add-email-close')!.removeEventListener('click', onClose);
      if (dialog.open) dialog.close();
      resolve(ok);
    };
    const onClose = () => finish(false);
    async function onSubmit(event: Event) {
      event.preventDefault();
      formError.textContent = '';
      const emailOk = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.value.trim());
      const passwordOk = password.value === '' || password.value.length >= 10;
      fieldError(email, emailOk ? null : t('client.auth.email'));
      fieldError(password, passwordOk ? null : t('client.auth.password'));
      if (!emailOk) return email.focus();
      if (!passwordOk) return password.focus();
      submit.disabled = true;
      try {
        const body = password.value
          ? { email: email.value.trim(), password: password.value }
          : { email: email.value.trim() };
        const answer = await api('/v1/me/credentials', { method: 'POST', body });
        const code = codeOf(answer);
        if (answer.status === 200 || code === 'has_email') {
          password.value = '';
          await refreshViewer();
          return finish(true);
        }
        if (code === 'email_taken') fieldError(email, t('client.addEmail.taken'));
        else if (answer.status === 429) formError.textContent = t('client.tooMany');
        else if (answer.status === 400) {
          const paths = ((answer.body?.error?.issues ?? []) as { path: string }[]).map((i) => i.path);
          if (paths.includes('email')) fieldError(email, t('client.auth.email'));
          if (paths.includes('password')) fieldError(password, t('client.auth.password'));
        } else formError.textContent = t('client.error');
      } catch (err) {
        formError.textContent = err instanceof Offline ? t('client.network') : t('client.error');
      } finally {
        submit.disabled = false;
      }
    }
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('close', onClose);
    $('sf-add-email-close')!.addEventListener('click', onClose);
    dialog.showModal();
    email.focus();
  });
}
