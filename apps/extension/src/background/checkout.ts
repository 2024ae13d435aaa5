import { itemKey } from '@series/core';
import { browser } from 'wxt/browser';
import type { CheckoutState, UnlockItem } from '../lib/protocol';
import { checkoutsItem, pendingUnlockItem, sessionItem } from '../lib/storage';
import { apiClient, ExtensionFailure, failureOf, fail, reach } from './api';
import { currentApiUrl } from './config';
import { forgetLookups } from './lookups';
import { forgetPurchases } from './purchases';

/** A sign-in started by "Unlock" continues into checkout only if it finishes within this. */
const PENDING_UNLOCK_TTL_MS = 15 * 60_000;

/**
 * Opens the popup for sign-in. `action.openPopup` needs a focused browser window (and in Firefox a user
 * gesture, which a message from a page does not carry); otherwise the same page opens in a small window.
 */
export async function openSignIn(): Promise<void> {
  try {
    await browser.action.openPopup();
    return;
  } catch {
    // Refused without a user gesture (some Firefox versions and settings): fall through to a window.
  }
  const url = browser.runtime.getURL('/popup.html');
  // Firefox for Android has no windows: the popup opens as a tab there.
  if (browser.windows?.create) await browser.windows.create({ url, type: 'popup', width: 400, height: 640 });
  else await browser.tabs.create({ url });
}

async function remember(item: UnlockItem, purchaseId: string, state: CheckoutState) {
  const records = await checkoutsItem.getValue();
  await checkoutsItem.setValue({ ...records, [itemKey(item)]: { purchaseId, state, at: Date.now() } });
}

async function forget(item: UnlockItem) {
  const { [itemKey(item)]: _gone, ...rest } = await checkoutsItem.getValue();
  await checkoutsItem.setValue(rest);
}

/**
 * "Unlock": signed out, it opens the popup and remembers the item (sign-in continues it); signed in, it
 * starts a checkout (the price comes from the server) and opens its page in a new tab.
 */
export async function unlock(item: UnlockItem, promoCode?: string): Promise<CheckoutState> {
  const account = await sessionItem.getValue();
  if (!account) {
    await pendingUnlockItem.setValue({ item, ...(promoCode ? { promoCode } : {}), at: Date.now() });
    await openSignIn();
    return { phase: 'awaiting_sign_in' };
  }
  return startCheckout(item, account.token, promoCode);
}

/** A promo code goes to the API as typed: the server decides whether it applies (and says why not, as a 4xx). */
export async function startCheckout(item: UnlockItem, token: string, promoCode?: string): Promise<CheckoutState> {
  const apiUrl = await currentApiUrl();
  const json = promoCode ? { ...item, promoCode } : item;
  const res = await reach(
    apiClient(apiUrl, token).v1.checkout.$post({ json, header: { 'idempotency-key': crypto.randomUUID() } }),
    apiUrl,
  );
  if (res.status === 200 || res.status === 201) {
    const { purchaseId, checkoutUrl } = await res.json();
    if (!checkoutUrl) throw fail('api_error', 'The payment page could not be opened; try again');
    const state: CheckoutState = { phase: 'open', purchaseId };
    await remember(item, purchaseId, state);
    await browser.tabs.create({ url: checkoutUrl });
    return state;
  }
  const failure = await failureOf(res);
  switch (failure.error.apiCode) {
    case 'already_owned':
    case 'episode_free':
      // Bought elsewhere, or made free since: the page shows "Watch" once reloaded.
      await forgetPurchases();
      return { phase: 'paid', purchaseId: null };
    case 'unauthorized':
      await sessionItem.setValue(null);
      return unlock(item, promoCode);
    case 'not_found':
      await forgetLookups();
      throw fail('not_on_sale', 'This is no longer on sale: the creator was suspended or withdrew the series.', {
        apiCode: 'not_found',
      });
    default:
      throw failure;
  }
}

/**
 * Where an unlock stands. While its checkout is open this asks `GET /v1/purchases/:id` (the overlay polls
 * about once a second), so "Unlock" turns into "Watch" as soon as the payment completes, without a reload.
 * A finished checkout is reported once, then forgotten.
 */
export async function checkoutState(item: UnlockItem, poll = true): Promise<CheckoutState> {
  const record = (await checkoutsItem.getValue())[itemKey(item)];
  if (!record) {
    const pending = await pendingUnlockItem.getValue();
    const waiting =
      pending && itemKey(pending.item) === itemKey(item) && Date.now() - pending.at < PENDING_UNLOCK_TTL_MS;
    return waiting ? { phase: 'awaiting_sign_in' } : { phase: 'none' };
  }
  if (record.state.phase !== 'open' || !poll) return record.state;
  const account = await sessionItem.getValue();
  if (!account) throw fail('signed_out', 'You signed out while checking out: sign in again to finish.');
  const apiUrl = await currentApiUrl();
  const res = await reach(
    apiClient(apiUrl, account.token).v1.purchases[':id'].$get({ param: { id: record.purchaseId } }),
    apiUrl,
  );
  if (res.status !== 200) throw await failureOf(res);
  const { purchase } = await res.json();
  const purchaseId = record.purchaseId;
  const state: CheckoutState =
    purchase.status === 'paid'
      ? { phase: 'paid', purchaseId }
      : purchase.status === 'pending'
        ? { phase: 'open', purchaseId }
        : purchase.status === 'expired'
          ? { phase: 'expired', purchaseId }
          : { phase: 'cancelled', purchaseId };
  if (state.phase === 'open') return state;
  if (state.phase === 'paid') await forgetPurchases();
  await forget(item);
  return state;
}

/** Continues the unlock that sent the viewer to sign in, if it is recent. */
export async function continuePendingUnlock(token: string): Promise<CheckoutState | null> {
  const pending = await pendingUnlockItem.getValue();
  await pendingUnlockItem.setValue(null);
  if (!pending || Date.now() - pending.at > PENDING_UNLOCK_TTL_MS) return null;
  try {
    return await startCheckout(pending.item, token, pending.promoCode);
  } catch (err) {
    if (err instanceof ExtensionFailure) return { phase: 'failed', error: err.error };
    throw err;
  }
}
