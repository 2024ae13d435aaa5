import { api, codeOf } from './api.js';
import { $, data, t } from './data.js';
import { current } from './viewer.js';

interface MyReview {
  review: { id: string; stars: number; text: string } | null;
  canReview: boolean;
}

/**
 * The buyer's rating form on a series page: the server renders it hidden (the page is the same for everyone);
 * shown to a signed-in buyer with their own rating filled in, posted once, then edited.
 */
export async function setUpReview() {
  const form = $<HTMLFormElement>('sf-review');
  if (!form || !data.seriesId || !current().signedIn || form.dataset.ready) return;
  const mine = await api<MyReview>(`/v1/series/${encodeURIComponent(data.seriesId)}/reviews/mine`).catch(() => null);
  if (mine?.status !== 200 || (!mine.body.canReview && !mine.body.review)) return;
  if (form.dataset.ready) return;
  form.dataset.ready = '1';
  let review = mine.body.review;
  const error = $('sf-review-error')!;
  const text = form.elements.namedItem('text') as HTMLTextAreaElement;
  const submit = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
  const show = () => {
    form.querySelector('h3')!.textContent = t(review ? 'client.review.yours' : 'client.review.title');
    submit.textContent = t(review ? 'client.review.save' : 'client.review.post');
    if (!review) return;
    text.value = review.text;
    const star = form.querySelector<HTMLInputElement>(`input[name=stars][value="${review.stars}"]`);
    if (star) star.checked = true;
  };
  const fail = (message: string) => {
    error.className = 'field-error';
    error.textContent = message;
    error.hidden = false;
  };
  show();
  form.hidden = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const stars = Number(new FormData(form).get('stars'));
    if (!stars) return fail(t('client.review.pick'));
    submit.disabled = true;
    const body = { stars, text: text.value };
    const answer = await api(review ? `/v1/reviews/${review.id}` : `/v1/series/${data.seriesId}/reviews`, {
      method: review ? 'PUT' : 'POST',
      body,
    }).catch(() => null);
    submit.disabled = false;
    if (answer && (answer.status === 200 || answer.status === 201)) {
      review = answer.body.review;
      show();
      error.textContent = t('client.review.saved');
      error.className = 'status ok';
      error.hidden = false;
      // The page is public and was purged by the write: reload it to show the rating among the others.
      setTimeout(() => location.reload(), 1200);
      return;
    }
    const code = answer ? codeOf(answer) : null;
    const issue = answer?.body?.error?.message ?? '';
    if (code === 'not_a_buyer') return fail(t('client.review.notBuyer'));
    if (code === 'invalid_request' && /markup/i.test(issue)) return fail(t('client.review.markup'));
    if (code === 'invalid_request' && /at most/i.test(issue)) {
      return fail(t('client.review.tooLong', { max: new Intl.NumberFormat(data.locale).format(2000) }));
    }
    fail(t('client.review.error'));
  });
}
