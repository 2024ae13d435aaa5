/**
 * The API address, checked without zod so the popup's bundle carries none (lib/protocol.ts wraps it in the
 * schema the background validates `setApiUrl` with). `https` anywhere; plain `http` only on this machine (the
 * local worker), since the session token travels with every request. The answer is the origin plus an optional
 * base path without its trailing slash; a refusal is a code the popup words (`extension.popup.apiUrl.*`).
 */
export type ApiUrlCheck = { ok: true; url: string } | { ok: false; code: 'format' | 'insecure' | 'extra' };

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export function checkApiUrl(raw: string): ApiUrlCheck {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, code: 'format' };
  }
  if (!/^https?:\/\//i.test(text) || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname)
    return { ok: false, code: 'format' };
  if (url.protocol !== 'https:' && !LOCAL_HOSTS.includes(url.hostname)) return { ok: false, code: 'insecure' };
  if (url.username || url.password || url.search || url.hash) return { ok: false, code: 'extra' };
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}
