import { giftMessageProblem } from '@series/core/gift';
import { api, codeOf, Offline } from './api.js';
import { signIn } from './auth.js';
import { buy, type Gift, type Item } from './checkout.js';
import { $, say, t } from './data.js';
import { current } from './viewer.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Asks for the recipient and the message (the gift dialog); null when the viewer cancels. */
function askForGift(): Promise<Gift | null> {
  const dialog = $<HTMLDialogElement>('sf-gift');
  const form = $<HTMLFormElement>('sf-gift-form');
  if (!dialog || !form) return Promise.resolve(null);
  const email = $<HTMLInputElement>('sf-gift-email')!;
  const message = $<HTMLTextAreaElement>('sf-gift-message')!;
  const emailError = $('sf-gift-email-error')!;
  const formError = $('sf-gift-error')!;
  emailError.hidden = formError.hidden = true;
  return new Promise((resolve) => {
    let done = false;
    const finish = (gift: Gift | null) => {
      if (done) return;
      done = true;
      form.removeEventListener('submit', submit);
      dialog.removeEventListener('close', cancel);
      $('sf-gift-cancel')!.removeEventListener('click', cancel);
      if (dialog.open) dialog.close();
      resolve(gift);
    };
    const cancel = () => finish(null);
    function submit(event: Event) {
      event.preventDefault();
      const to = email.value.trim();
      const text = message.value.trim();
      const fine = EMAIL.test(to);
      emailError.textContent = fine ? '' : t('client.gift.email');
      emailError.hidden = fine;
      email.setAttribute('aria-invalid', fine ? 'false' : 'true');
      if (!fine) return email.focus();
      if (to.toLowerCase() === current().email?.toLowerCase()) {
        formError.textContent = t('client.gift.self');
        formError.hidden = false;
        return email.focus();
      }
      // The API's rule (giftSchema), checked here first to say what to fix.
      if (giftMessageProblem(text)) {
        formError.textContent = t('client.gift.message');
        formError.hidden = false;
        return message.focus();
      }
      finish(text ? { email: to, message: text } : { email: to });
    }
    form.addEventListener('submit', submit);
    dialog.addEventListener('close', cancel);
    $('sf-gift-cancel')!.addEventListener('click', cancel);
    dialog.showModal();
    email.focus();
  });
}

/** "Buy as a gift": signed in first (the receipt is the giver's), then who it is for, then the usual checkout. */
async function giveItem(item: Item, button: HTMLElement) {
  if (!current().signedIn && !(await signIn())) return;
  if (!current().signedIn) return;
  const gift = await askForGift();
  if (gift) await buy(item, button, gift);
}

const CLAIM_ANSWERS: Record<string, string> = {
  gift_already_owned: 'client.gift.alreadyOwned',
  gift_already_claimed: 'client.gift.alreadyClaimed',
  gift_refunded: 'client.gift.refunded',
  gift_not_found: 'client.gift.invalid',
};

/** The claim page's button: signs in or makes an account in the page's dialog, claims, then opens what it is. */
async function claim(button: HTMLElement) {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  if (!current().signedIn && !(await signIn())) return;
  button.setAttribute('aria-disabled', 'true');
  try {
    const answer = await api('/v1/gifts/claim', { method: 'POST', body: { token } });
    if (answer.status === 200) {
      say(t('client.gift.claimed'), 'ok');
      location.assign(button.dataset.href ?? '/library');
      return;
    }
    const code = codeOf(answer);
    say(t(CLAIM_ANSWERS[code ?? ''] ?? (answer.status === 429 ? 'client.tooMany' : 'client.error')), 'bad');
  } catch (err) {
    say(t(err instanceof Offline ? 'client.network' : 'client.error'), 'bad');
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

/** The account page's gifts: Send again, and Refund (asked to confirm first). */
async function manage(button: HTMLElement, what: 'resend' | 'refund') {
  const id = button.dataset.purchase;
  if (!id || (what === 'refund' && !confirm(t('client.gift.refundConfirm')))) return;
  button.setAttribute('aria-disabled', 'true');
  try {
    const answer = await api(`/v1/me/gifts/${encodeURIComponent(id)}/${what}`, { method: 'POST' });
    const code = codeOf(answer);
    if (answer.status === 202) say(t('client.gift.resent'), 'ok');
    else if (answer.status === 200) {
      say(t('client.gift.refundDone'), 'ok');
      setTimeout(() => location.reload(), 1200);
    } else if (code === 'gift_resend_too_soon') say(t('client.gift.tooSoon'), 'bad');
    else if (code === 'gift_resend_limit') say(t('client.gift.tooMany'), 'bad');
    else if (code === 'gift_already_claimed') say(t('client.gift.claimedNoRefund'), 'bad');
    else if (code === 'gift_refunded') say(t('client.gift.refunded'), 'bad');
    else say(t(answer.status === 429 ? 'client.tooMany' : 'client.error'), 'bad');
  } catch (err) {
    say(t(err instanceof Offline ? 'client.network' : 'client.error'), 'bad');
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

/** The page's gift buttons, whichever it has: give (episode and series pages), claim (the gift page), manage. */
export function onGiftAction(target: HTMLElement): boolean {
  if (target.getAttribute('aria-disabled') === 'true') return true;
  const { action, giftEpisode, giftSeries } = target.dataset;
  if (action === 'gift' && (giftEpisode || giftSeries)) {
    void giveItem(giftEpisode ? { episodeId: giftEpisode } : { seriesId: giftSeries! }, target);
  } else if (action === 'claim-gift') void claim(target);
  else if (action === 'gift-resend') void manage(target, 'resend');
  else if (action === 'gift-refund') void manage(target, 'refund');
  else return false;
  return true;
}
