import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { errorBody } from './errors.js';

/** A body limit that answers in the API's error shape. */
export const limitBody = (maxSize: number, label: string) =>
  bodyLimit({
    maxSize,
    onError: (c) => c.json(errorBody('payload_too_large', `Request body is larger than ${label}`), 413),
  });

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The API's rule for request bodies: JSON of at most 64 KB. A form or text body would otherwise parse as empty
 * and yield a misleading "required" error, so anything else answers 415. Routes that take other bodies (raw
 * uploads, the provider's webhook) are mounted before this rule and set their own.
 */
export const jsonBody = createMiddleware(async (c, next) => {
  const hasBody = (c.req.header('Content-Length') ?? '0') !== '0' || c.req.header('Transfer-Encoding');
  if (hasBody && WRITES.has(c.req.method) && !/^application\/json\b/i.test(c.req.header('Content-Type') ?? '')) {
    return c.json(errorBody('unsupported_media_type', 'Send the request body as application/json'), 415);
  }
  return jsonLimit(c, next);
});

const jsonLimit = limitBody(64 * 1024, '64 KB');
