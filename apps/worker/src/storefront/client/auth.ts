import { api, codeOf, Offline } from './api.js';
import { $, t } from './data.js';
import { refreshViewer } from './viewer.js';

type Mode = 'in' | 'up';

/**
 * Sign in or sign up without leaving the page. Resolves true once signed in (the session cookie is set by the
 * API's answer), false when the viewer closes the dialog.
 */
export function signIn(): Promise<boolean> {
  const dialog = $<HTMLDialogElement>('sf-auth');
  const form = $<HTMLFormElement>('sf-auth-form');
  if (!dialog || !form) return Promise.resolve(false);
  const email = $<HTMLInputElement>('sf-email')!;
  const password = $<HTMLInputElement>('sf-password')!;
  const submit = $<HTMLButtonElement>('sf-auth-submit')!;
  const toggle = $<HTMLButtonElement>('sf-auth-switch')!;
  const title = $('sf-auth-title')!;
  const hint = $('sf-password-hint')!;
  const formError = $('sf-auth-error')!;
  let mode: Mode = 'in';

  const fieldError = (input: HTMLInputElement, text: string | null) => {
    const el = $(`${input.id}-error`)!;
    el.textContent = text ?? '';
    el.hidden = !text;
    input.setAttribute('aria-invalid', text ? 'true' : 'false');
  };
  const setMode = (next: Mode) => {
    mode = next;
    for (const el of [title, submit, toggle]) el.textContent = (next === 'in' ? el.dataset.in : el.dataset.up) ?? '';
    hint.hidden = next === 'in';
    password.autocomplete = next === 'in' ? 'current-password' : 'new-password';
    formError.textContent = '';
  };
  setMode('in');
  fieldError(email, null);
  fieldError(password, null);
  // "Continue with TikTok" comes back to this page, where a purchase begun before signing in resumes.
  const tiktok = $<HTMLAnchorElement>('sf-tiktok');
  if (tiktok) {
    const returnTo = `${location.pathname}${location.search}`;
    tiktok.href = `/v1/auth/tiktok/start?${new URLSearchParams({ intent: 'signin', returnTo })}`;
  }

  return new Promise((resolve) => {
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      form.removeEventListener('submit', onSubmit);
      toggle.removeEventListener('click', onToggle);
      dialog.removeEventListener('close', onClose);
      $('sf-auth-close')!.removeEventListener('click', onCancel);
      if (dialog.open) dialog.close();
      resolve(ok);
    };
    const onToggle = () => setMode(mode === 'in' ? 'up' : 'in');
    const onClose = () => finish(false);
    const onCancel = () => finish(false);
    async function onSubmit(event: Event) {
      event.preventDefault();
      formError.textContent = '';
      const emailOk = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.value.trim());
      const passwordOk = mode === 'in' ? password.value.length > 0 : password.value.length >= 10;
      fieldError(email, emailOk ? null : t('client.auth.email'));
      fieldError(password, passwordOk ? null : t('client.auth.password'));
      if (!emailOk) return email.focus();
      if (!passwordOk) return password.focus();
      submit.disabled = true;
      try {
        const answer = await api(mode === 'in' ? '/v1/auth/login' : '/v1/auth/signup', {
          method: 'POST',
          body: { email: email.value.trim(), password: password.value },
        });
        if (answer.status === 200 || answer.status === 201) {
          password.value = '';
          await refreshViewer();
          return finish(true);
        }
        const code = codeOf(answer);
        if (code === 'email_taken') {
          setMode('in');
          formError.textContent = t('client.auth.taken');
        } else if (code === 'invalid_credentials') formError.textContent = t('client.auth.invalid');
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
    toggle.addEventListener('click', onToggle);
    dialog.addEventListener('close', onClose);
    $('sf-auth-close')!.addEventListener('click', onCancel);
    dialog.showModal();
    email.focus();
  });
}
