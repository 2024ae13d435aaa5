import { apiUrlItem, sessionItem } from '../lib/storage';

/** The API address this build defaults to (`WXT_API_URL` at build time, else the local worker; see wxt.config.ts). */
export const DEFAULT_API_URL: string = (import.meta.env.WXT_API_URL || 'http://127.0.0.1:8787').replace(/\/+$/, '');

export async function currentApiUrl(): Promise<string> {
  return (await apiUrlItem.getValue()) ?? DEFAULT_API_URL;
}

/** The signed-in account, or null. */
export const currentAccount = () => sessionItem.getValue();
