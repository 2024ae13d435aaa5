import type { AppType } from '@series/worker/client';
import type { ExtensionError, ExtensionErrorCode } from '../lib/protocol';
import { hc } from 'hono/client';

/**
 * The typed API client. Requests never carry cookies or a referrer; only calls that need the viewer send the
 * bearer token, so public lookups cannot be tied to an account.
 */
export function apiClient(
  baseUrl: string,
  token: string | null = null,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
) {
  return hc<AppType>(baseUrl, {
    fetch: fetchImpl,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    init: { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' },
  });
}
export type ApiClient = ReturnType<typeof apiClient>;

/** A request that did not give the answer the caller needs; the router turns it into `{ ok: false, error }`. */
export class ExtensionFailure extends Error {
  constructor(readonly error: ExtensionError) {
    super(error.message);
  }
}

export const fail = (code: ExtensionErrorCode, message: string, extra: Partial<ExtensionError> = {}) =>
  new ExtensionFailure({ code, message, ...extra });

/** Awaits a request; a network failure (server down, wrong address, no permission) becomes `api_unreachable`. */
export async function reach<R>(request: Promise<R>, apiUrl: string): Promise<R> {
  try {
    return await request;
  } catch {
    throw fail('api_unreachable', `Series can’t reach its server at ${apiUrl}`, { url: apiUrl });
  }
}

interface ApiErrorBody {
  error?: { code?: string; message?: string; issues?: { path?: string }[] };
  releaseAt?: string;
}

/** Turns an API error response into the extension's error, keeping the API's code. */
export async function failureOf(res: { status: number; json(): Promise<unknown> }): Promise<ExtensionFailure> {
  let body: ApiErrorBody = {};
  try {
    body = (await res.json()) as ApiErrorBody;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  const apiCode = body.error?.code ?? `http_${res.status}`;
  const message = body.error?.message ?? `The Series server answered ${res.status}`;
  const code: ExtensionErrorCode =
    res.status === 401
      ? 'signed_out'
      : res.status === 402
        ? 'payment_required'
        : apiCode === 'not_released'
          ? 'not_released'
          : res.status === 400
            ? 'invalid_request'
            : 'api_error';
  const field = body.error?.issues?.[0]?.path;
  return fail(code, message, {
    apiCode,
    ...(field ? { field } : {}),
    ...(body.releaseAt ? { releaseAt: body.releaseAt } : {}),
  });
}
