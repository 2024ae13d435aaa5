/** Same-origin calls to the API: the session cookie rides along, and the worker checks the Origin of writes. */
export interface Answer<T = any> {
  status: number;
  body: T;
}

export class Offline extends Error {}

/** D1's bookmark: the newest one an answer gave goes back with every call, so a read sees this page's own writes. */
const BOOKMARK_HEADER = 'x-d1-bookmark';
let bookmark: string | null = null;

export async function api<T = any>(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; keepalive?: boolean } = {},
): Promise<Answer<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      keepalive: init.keepalive,
      headers: {
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(bookmark ? { [BOOKMARK_HEADER]: bookmark } : {}),
        ...init.headers,
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
  } catch {
    throw new Offline();
  }
  const next = res.headers.get(BOOKMARK_HEADER);
  if (next && (!bookmark || next > bookmark)) bookmark = next;
  const text = await res.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, body };
}

/** The API's error code, if the answer is one. */
export const codeOf = (a: Answer) => (a.body?.error?.code as string | undefined) ?? null;
