import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface ErrorIssue {
  path: string;
  message: string;
}

/** Thrown anywhere in a handler; `onError` turns it into `{ error: { code, message, issues? } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: { issues?: ErrorIssue[]; [key: string]: unknown } = {},
  ) {
    super(message);
  }
}

export const notFound = (what = 'Resource') => new ApiError(404, 'not_found', `${what} not found`);

export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  const { issues, ...rest } = extra;
  return { error: { code, message, ...(issues ? { issues } : {}) }, ...rest };
}

export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.extra), err.status);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code =
      status === 413
        ? 'payload_too_large'
        : /json/i.test(err.message)
          ? 'invalid_json'
          : status === 400
            ? 'bad_request'
            : 'http_error';
    return c.json(errorBody(code, err.message || 'Request failed'), status);
  }
  console.error('unhandled error', err);
  return c.json(errorBody('internal', 'Something went wrong on our side; nothing was changed'), 500);
}

/** D1 surfaces constraint violations as plain errors; this tells which index refused the write. */
export function isUniqueViolation(err: unknown, columns: string): boolean {
  const msg = err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : '';
  return msg.includes('UNIQUE constraint failed') && msg.includes(columns);
}

/** A price outside the currency's bounds (`checkPrice`), reported on the field that holds it. */
export function priceProblem(field: string, message: string): ApiError {
  return new ApiError(400, 'invalid_price', message, { issues: [{ path: field, message }] });
}
