import { api } from './api.js';
import { $, data, t } from './data.js';

export interface Viewer {
  signedIn: boolean;
  email: string | null;
  /** False until the account's address is verified: a banner asks to (buying still works). */
  emailVerified?: boolean;
  /** The creator of this page's series: they watch without buying. */
  isCreator: boolean;
  owned: { wholeSeries: boolean; episodeIds: string[] };
  /** "Buy all" at this viewer's own price: less what they paid for its episodes (never cached: it is theirs). */
  offers?: { wholeSeries: { amount: number; fullAmount: number; currency: string } | null };
}

let viewer: Viewer = { signedIn: false, email: null, isCreator: false, owned: { wholeSeries: false, episodeIds: [] } };

/** Minor units as the page's language writes them (the currency's own decimals, as the server's prices). */
export function money(amount: number, currency: string): string {
  const format = new Intl.NumberFormat(data.locale, { style: 'currency', currency });
  return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

export const current = () => viewer;

export function owns(episodeId: string): boolean {
  const ep = data.episodes?.find((e) => e.id === episodeId);
  // Off sale, only what was bought plays (a free episode then is no longer anyone's to watch).
  const free = !!ep?.free && data.onSale !== false;
  return free || viewer.isCreator || viewer.owned.wholeSeries || viewer.owned.episodeIds.includes(episodeId);
}

/** Asks who is looking and what they own here, then marks the page: Play instead of Unlock, "Owned" badges. */
export async function refreshViewer(): Promise<Viewer> {
  try {
    const answer = await api<Viewer>(
      `/v1/viewer${data.seriesId ? `?seriesId=${encodeURIComponent(data.seriesId)}` : ''}`,
    );
    if (answer.status === 200) viewer = answer.body;
  } catch {
    // Offline: the page stays as the server rendered it; buying says what went wrong.
  }
  render();
  return viewer;
}

function render() {
  const slot = $('sf-account');
  if (slot) {
    slot.replaceChildren();
    slot.classList.toggle('signed-in', viewer.signedIn);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'linkish';
    if (viewer.signedIn) {
      const who = document.createElement('span');
      who.className = 'who';
      who.textContent = viewer.email ? t('client.signedInAs', { email: viewer.email }) : t('client.signedInWithTikTok');
      button.textContent = t('client.signOut');
      button.dataset.action = 'signout';
      slot.append(who, button);
    } else {
      button.textContent = t('client.signIn');
      button.dataset.action = 'signin';
      slot.append(button);
    }
  }
  verifyBanner();
  for (const ep of data.episodes ?? []) {
    if ((ep.free && data.onSale !== false) || !owns(ep.id)) continue;
    for (const el of document.querySelectorAll<HTMLElement>(`[data-owned-badge="${ep.id}"]`)) {
      el.textContent = t('client.owned');
      el.className = 'badge owned';
    }
    for (const el of document.querySelectorAll<HTMLElement>(`[data-episode="${ep.id}"]`)) {
      if (!ep.released) continue;
      el.dataset.action = 'play';
      el.hidden = false;
      el.classList.add('secondary');
      el.textContent = t('client.play');
      el.setAttribute('aria-label', `${t('client.play')}: ${ep.number}. ${ep.title}`);
    }
  }
  const offer = viewer.offers?.wholeSeries;
  if (offer && offer.amount < offer.fullAmount) {
    // They own episodes of it: "Complete the series — $0.99", what checkout will charge them.
    for (const el of document.querySelectorAll<HTMLElement>('[data-series]')) {
      el.textContent = t('client.completeSeries', { price: money(offer.amount, offer.currency) });
      el.dataset.amount = String(offer.amount);
      const note = el.closest('.actions')?.nextElementSibling;
      if (note?.classList.contains('note')) note.textContent = t('client.completeSeriesNote');
    }
  }
  if (viewer.owned.wholeSeries || viewer.isCreator) {
    for (const el of document.querySelectorAll<HTMLElement>('[data-series]')) {
      const actions = el.closest('.actions');
      (actions ?? el).setAttribute('hidden', '');
      if (actions?.nextElementSibling?.classList.contains('note'))
        actions.nextElementSibling.setAttribute('hidden', '');
    }
  }
}

/** "Confirm your email address": shown while the viewer's address is not verified, with "send it again". */
function verifyBanner() {
  const main = $('main');
  $('sf-verify')?.remove();
  if (!main || !viewer.signedIn || viewer.emailVerified !== false || !viewer.email) return;
  const banner = document.createElement('p');
  banner.id = 'sf-verify';
  banner.className = 'banner';
  banner.setAttribute('role', 'status');
  const text = document.createElement('span');
  text.textContent = `${t('client.verify.banner', { email: viewer.email })} `;
  const again = document.createElement('button');
  again.type = 'button';
  again.className = 'linkish';
  again.textContent = t('client.verify.resend');
  again.addEventListener('click', async () => {
    again.disabled = true;
    const answer = await api('/v1/me/email/verification', { method: 'POST' }).catch(() => null);
    text.textContent =
      answer?.status === 202
        ? t('client.verify.sent', { email: viewer.email ?? '' })
        : answer?.status === 429
          ? t('client.verify.limited')
          : t('client.verify.failed');
    again.remove();
  });
  banner.append(text, again);
  main.prepend(banner);
}
