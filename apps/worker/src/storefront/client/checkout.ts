import { api, codeOf, Offline } from './api.js';
import { data, quiet, say, t } from './data.js';
import { signIn } from './auth.js';
import { addEmail } from './add-email.js';
import { current, money, refreshViewer } from './viewer.js';

export type Item = { episodeId: string } | { seriesId: string };
/** Bought for someone else: their address, and an optional message. */
export type Gift = { email: string; message?: string };

const SOURCE = /^[a-z0-9][a-z0-9_-]{0,23}$/;
const SOURCE_KEY = 'sf:src';
const INTENT_KEY = 'sf:intent';
/** One key per item (and code: a checkout with a code is another purchase attempt than one without). */
const keyFor = (item: Item, code?: string, gift?: Gift) =>
  `sf:key:${'episodeId' in item ? item.episodeId : item.seriesId}${code ? `:${code.toUpperCase()}` : ''}${gift ? `:gift:${gift.email}` : ''}`;

function session(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** The link's source (`?src=bio`), kept for this visit so the checkout it leads to is counted for it. */
export function landingSource(): string | null {
  const src = new URLSearchParams(location.search).get('src');
  if (src && SOURCE.test(src)) {
    session()?.setItem(SOURCE_KEY, src);
    return src;
  }
  return null;
}

const rememberedSource = () => {
  const src = session()?.getItem(SOURCE_KEY);
  return src && SOURCE.test(src) ? src : undefined;
};

/** The promo code typed on this page ("Have a promo code?"), if any. */
function typedPromoCode(): string | undefined {
  const input = document.getElementById('sf-promo') as HTMLInputElement | null;
  const code = input?.value.trim();
  return code ? code : undefined;
}

/** A link with `?code=LAUNCH` fills in the page's code field (and opens it). */
export function promoFromAddress() {
  const code = new URLSearchParams(location.search).get('code');
  const input = document.getElementById('sf-promo') as HTMLInputElement | null;
  if (!code || !input || code.length > 32) return;
  input.value = code;
  input.closest('details')?.setAttribute('open', '');
}

const PROMO_REFUSALS = [
  'promo_code_unknown',
  'promo_code_other_creator',
  'promo_code_other_series',
  'promo_code_paused',
  'promo_code_expired',
  'promo_code_used',
  'promo_code_exhausted',
] as const;

/** The price the button showed (`data-amount`), which checkout must charge or refuse; none when unknown. */
function shownAmount(button: HTMLElement | undefined): number | undefined {
  const amount = Number(button?.dataset.amount);
  return Number.isSafeInteger(amount) && amount > 0 ? amount : undefined;
}

/**
 * Unlock an episode or buy the whole series: signs in first if needed (remembering what was being bought),
 * starts the checkout with this page as the way back, and goes to the payment page.
 */
export async function buy(item: Item, button?: HTMLElement, gift?: Gift): Promise<void> {
  if (!current().signedIn) {
    session()?.setItem(INTENT_KEY, JSON.stringify({ item, path: location.pathname, at: Date.now() }));
    if (!(await signIn())) return;
    // Signed in as the buyer, or as someone who owns it already: the page now knows.
    if (!current().signedIn) return;
  }
  session()?.removeItem(INTENT_KEY);
  const promoCode = typedPromoCode();
  button?.setAttribute('aria-disabled', 'true');
  say(t('client.starting'));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      // One key per attempt to buy this item, reused if the tap is repeated or the request retried.
      const store = session();
      const key = store?.getItem(keyFor(item, promoCode, gift)) ?? crypto.randomUUID();
      store?.setItem(keyFor(item, promoCode, gift), key);
      const answer = await api('/v1/checkout', {
        method: 'POST',
        headers: { 'Idempotency-Key': key },
        body: {
          ...item,
          returnTo: location.pathname,
          source: rememberedSource(),
          // With a code the price is the code's: the checkout page shows it before anything is paid.
          ...(promoCode ? { promoCode } : { expectedAmount: shownAmount(button) }),
          ...(gift ? { gift } : {}),
        },
      });
      if (answer.status === 200 || answer.status === 201) {
        const status = answer.body.purchase?.status;
        if (status === 'pending' && answer.body.checkoutUrl) {
          location.assign(answer.body.checkoutUrl);
          return;
        }
        // That key's checkout already ended (cancelled, expired): start a fresh one.
        store?.removeItem(keyFor(item, promoCode, gift));
        if (status === 'paid' && !gift) break;
        continue;
      }
      const code = codeOf(answer);
      if (answer.status === 401) {
        await refreshViewer();
        return buy(item, button, gift);
      }
      if (code === 'gift_to_self') return say(t('client.gift.self'), 'bad');
      if (gift && code === 'invalid_request') {
        const paths: string[] = (answer.body?.error?.issues ?? []).map((i: { path: string }) => i.path);
        return say(t(paths.includes('gift.email') ? 'client.gift.email' : 'client.gift.message'), 'bad');
      }
      const refusal = PROMO_REFUSALS.find((c) => c === code);
      if (refusal) {
        // The code does not apply: say why beside the buttons, and put the focus back in the field to fix it.
        say(t(`client.promo.${refusal}`), 'bad');
        document.getElementById('sf-promo')?.focus();
        return;
      }
      if (code === 'email_required') {
        // Signed in with TikTok, without an address yet: ask for one (receipts go there), then buy.
        quiet();
        if (await addEmail()) return buy(item, button, gift);
        return;
      }
      if (code === 'price_changed' && answer.body.price) {
        // A discount began or ended since the page was made: show the new price, charge nothing until asked again.
        const { amount, currency } = answer.body.price as { amount: number; currency: string };
        if (button) button.dataset.amount = String(amount);
        say(t('client.priceChanged', { price: money(amount, currency) }), 'bad');
        return;
      }
      if (code === 'already_owned' || code === 'own_content' || code === 'episode_free') {
        await refreshViewer();
        say(t(code === 'own_content' ? 'client.ownContent' : 'client.alreadyOwned'), 'ok');
      } else if (answer.status === 404 || code === 'no_bundle_price') say(t('client.offSale'), 'bad');
      else if (code === 'episode_not_ready' || code === 'series_not_ready') say(t('client.notReady'), 'bad');
      else if (answer.status === 429) say(t('client.tooMany'), 'bad');
      else if (answer.status === 502 || answer.status === 503 || code === 'creator_cannot_sell')
        say(t('client.unavailable'), 'bad');
      else say(t('client.error'), 'bad');
      return;
    }
    await refreshViewer();
    say(t('client.alreadyOwned'), 'ok');
  } catch (err) {
    say(t(err instanceof Offline ? 'client.network' : 'client.error'), 'bad');
  } finally {
    button?.removeAttribute('aria-disabled');
  }
}

/** A purchase begun on this page before signing in (the page reloaded meanwhile): finish it. */
export function pendingIntent(): Item | null {
  const raw = session()?.getItem(INTENT_KEY);
  if (!raw) return null;
  try {
    const intent = JSON.parse(raw) as { item: Item; path: string; at: number };
    if (intent.path === location.pathname && Date.now() - intent.at < 10 * 60_000) return intent.item;
  } catch {}
  session()?.removeItem(INTENT_KEY);
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Back from the payment page with `?purchase=<id>`: "confirming payment…" until the purchase is paid (a
 * provider's confirmation may land a moment after the buyer), then the caller plays what was bought.
 */
export async function confirmReturn(): Promise<{ episodeId: string | null } | null> {
  const params = new URLSearchParams(location.search);
  const id = params.get('purchase');
  if (!id || !/^pur_[0-9A-Za-z]{16,32}$/.test(id)) return null;
  params.delete('purchase');
  const clean = `${location.pathname}${params.size ? `?${params}` : ''}`;
  say(t('client.confirming'));
  const started = Date.now();
  for (let wait = 500; ; wait = Math.min(wait * 1.5, 3000)) {
    let answer;
    try {
      answer = await api(`/v1/purchases/${id}`);
    } catch {
      answer = null;
    }
    const purchase = answer?.status === 200 ? answer.body.purchase : null;
    if (purchase?.status === 'paid' && purchase.gift) {
      // A gift: the recipient is mailed its link; nothing here to play.
      history.replaceState(null, '', clean);
      say(t('client.gift.paid'), 'ok');
      return null;
    }
    if (purchase?.status === 'paid') {
      history.replaceState(null, '', clean);
      session()?.removeItem(
        keyFor(purchase.episodeId ? { episodeId: purchase.episodeId } : { seriesId: purchase.seriesId }),
      );
      await refreshViewer();
      say(t('client.paid'), 'ok');
      return { episodeId: purchase.episodeId };
    }
    if (purchase && purchase.status !== 'pending') {
      history.replaceState(null, '', clean);
      session()?.removeItem(
        keyFor(purchase.episodeId ? { episodeId: purchase.episodeId } : { seriesId: purchase.seriesId }),
      );
      say(
        t(
          purchase.status === 'expired'
            ? 'client.expired'
            : purchase.statusReason === 'not_on_sale'
              ? 'client.offSale'
              : 'client.cancelled',
        ),
        'bad',
      );
      return null;
    }
    if (answer?.status === 404 || answer?.status === 401) {
      history.replaceState(null, '', clean);
      quiet();
      return null;
    }
    if (Date.now() - started > 120_000) {
      say(t('client.stillConfirming'));
      return null;
    }
    await sleep(wait);
  }
}

/** The page view, for the creator's per-source funnel: counts only, nothing about the viewer. */
export function countView(source: string | null) {
  if (!data.handle || !['creator', 'series', 'episode'].includes(data.page)) return;
  api('/v1/views/storefront', {
    method: 'POST',
    keepalive: true,
    body: { handle: data.handle, ...(data.seriesId ? { seriesId: data.seriesId } : {}), ...(source ? { source } : {}) },
  }).catch(() => undefined);
}
