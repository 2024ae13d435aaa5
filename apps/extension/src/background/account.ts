import type { SessionInfo } from '../lib/protocol';
import { browser } from 'wxt/browser';
import { apiUrlItem, pendingUnlockItem, sessionItem } from '../lib/storage';
import { apiClient, failureOf, fail, reach } from './api';
import { forgetAnchors } from './anchors';
import { continuePendingUnlock } from './checkout';
import { currentApiUrl, DEFAULT_API_URL } from './config';
import { forgetLookups } from './lookups';
import { forgetPurchases } from './purchases';

export async function sessionInfo(): Promise<SessionInfo> {
  const [account, apiUrl, pending] = await Promise.all([
    sessionItem.getValue(),
    currentApiUrl(),
    pendingUnlockItem.getValue(),
  ]);
  return {
    signedIn: !!account,
    email: account?.email ?? null,
    apiUrl,
    defaultApiUrl: DEFAULT_API_URL,
    pendingUnlock: pending?.item ?? null,
    continued: null,
  };
}

/**
 * Signs in (or up) and keeps the token in `storage.session`. If an "Unlock" sent the viewer here, its
 * checkout opens right away.
 */
export async function signIn(mode: 'login' | 'signup', email: string, password: string): Promise<SessionInfo> {
  const apiUrl = await currentApiUrl();
  const auth = apiClient(apiUrl).v1.auth;
  const res =
    mode === 'login'
      ? await reach(auth.login.$post({ json: { email, password } }), apiUrl)
      : await reach(auth.signup.$post({ json: { email, password } }), apiUrl);
  if (!res.ok) {
    const failure = await failureOf(res);
    // Wrong password and taken email are the viewer's to fix, not a server problem.
    if ([401, 409].includes(res.status)) failure.error.code = 'invalid_request';
    throw failure;
  }
  const { token, user } = await res.json();
  // Signed in by email, the account has one (only accounts made with TikTok have none).
  await sessionItem.setValue({ token, email: user.email ?? email });
  await forgetPurchases();
  const continued = await continuePendingUnlock(token);
  return { ...(await sessionInfo()), continued };
}

export async function signOut(): Promise<SessionInfo> {
  const account = await sessionItem.getValue();
  await sessionItem.setValue(null);
  await pendingUnlockItem.setValue(null);
  await forgetPurchases();
  if (account) {
    const apiUrl = await currentApiUrl();
    // Revoke the token on the server too; signed out locally either way.
    await reach(apiClient(apiUrl, account.token).v1.auth.logout.$post(), apiUrl).catch(() => undefined);
  }
  return sessionInfo();
}

/**
 * Points the extension at another API. Its host needs a permission: the build's own API host has it from
 * install, any other is requested by the popup (optional host permission) before it sends this.
 */
export async function setApiUrl(url: string): Promise<SessionInfo> {
  const origin = new URL(url).origin;
  const granted = await browser.permissions.contains({ origins: [`${origin}/*`] });
  if (!granted) throw fail('forbidden', `Allow Series to reach ${origin} first`);
  if (url !== (await currentApiUrl())) {
    // Another server: another account and catalogue.
    await sessionItem.setValue(null);
    await pendingUnlockItem.setValue(null);
  }
  await apiUrlItem.setValue(url === DEFAULT_API_URL ? null : url);
  await Promise.all([forgetLookups(), forgetPurchases(), forgetAnchors()]);
  return sessionInfo();
}
