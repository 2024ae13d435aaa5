import { api, codeOf } from './api.js';
import { signIn } from './auth.js';
import { $, say, t } from './data.js';
import { current } from './viewer.js';

/**
 * Viewers report a series, an episode or a review: the page's Report buttons (shown once the script runs) open
 * its one dialog; signed out, they ask to sign in first. At most 10 reports a day per account (the API's rule).
 */
export function setUpReports() {
  const dialog = $<HTMLDialogElement>('sf-report');
  const form = $<HTMLFormElement>('sf-report-form');
  if (!dialog || !form) return;
  const error = $('sf-report-error')!;
  let target: { kind: string; id: string } | null = null;
  const fail = (text: string) => {
    error.textContent = text;
    error.hidden = false;
  };
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-report-kind]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      if (!current().signedIn && !(await signIn())) return;
      target = { kind: button.dataset.reportKind!, id: button.dataset.reportId! };
      form.reset();
      error.hidden = true;
      dialog.showModal();
    });
  }
  $('sf-report-cancel')?.addEventListener('click', () => dialog.close());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const reason = data.get('reason');
    if (!reason || !target) return fail(t('client.report.pick'));
    const answer = await api('/v1/reports', {
      method: 'POST',
      body: { target, reason, text: String(data.get('text') ?? '') },
    }).catch(() => null);
    if (answer?.status === 201) {
      dialog.close();
      say(t('client.report.sent'), 'ok');
      return;
    }
    const code = answer ? codeOf(answer) : null;
    if (code === 'report_limit') return fail(t('client.report.limit'));
    if (code === 'invalid_request' && /markup/i.test(answer?.body?.error?.message ?? '')) {
      return fail(t('client.review.markup'));
    }
    fail(t('client.report.error'));
  });
}
