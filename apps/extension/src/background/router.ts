import {
  contentMessageSchema,
  extensionPageMessageSchema,
  type ExtensionAnswers,
  type ExtensionMessage,
  type ExtensionResult,
} from '../lib/protocol';
import { ExtensionFailure } from './api';

export type Handlers = {
  [K in ExtensionMessage['type']]: (message: Extract<ExtensionMessage, { type: K }>) => Promise<ExtensionAnswers[K]>;
};

/** Who sent a message: `url` is the sending page (a video-site page for content scripts). */
export interface Sender {
  id?: string;
  url?: string;
}

/**
 * The background's single entry point. A message from a content script (any sender whose page is not one of
 * the extension's own) must parse as a {@link contentMessageSchema} message: a script living in the video
 * site's pages can ask for overlays and start an unlock, but never sign in or out, read the library, fetch
 * playback grants or move the API. Nothing reaches a handler unparsed.
 */
export async function route(
  raw: unknown,
  sender: Sender,
  ownId: string,
  ownOrigin: string,
  handlers: Handlers,
): Promise<ExtensionResult<unknown>> {
  if (sender.id !== ownId) return { ok: false, error: { code: 'forbidden', message: 'Not from this extension' } };
  const fromOwnPage = !!sender.url && sender.url.startsWith(ownOrigin);
  const parsed = (fromOwnPage ? extensionPageMessageSchema : contentMessageSchema).safeParse(raw);
  if (!parsed.success) {
    const privileged = !fromOwnPage && extensionPageMessageSchema.safeParse(raw).success;
    return privileged
      ? { ok: false, error: { code: 'forbidden', message: 'Only the extension’s own pages may send this' } }
      : {
          ok: false,
          error: { code: 'invalid_message', message: parsed.error.issues[0]?.message ?? 'Invalid message' },
        };
  }
  const message = parsed.data as ExtensionMessage;
  try {
    const handler = handlers[message.type] as (m: ExtensionMessage) => Promise<unknown>;
    return { ok: true, data: await handler(message) };
  } catch (err) {
    if (err instanceof ExtensionFailure) return { ok: false, error: err.error };
    console.error('Series: request failed', err);
    return { ok: false, error: { code: 'api_error', message: 'Something went wrong in Series; try again' } };
  }
}
