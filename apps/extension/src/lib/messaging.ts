import type { ExtensionAnswers, ExtensionMessageInput, ExtensionResult } from './protocol';
import { browser } from 'wxt/browser';

/**
 * Asks the background. Every message is validated there (see background/router.ts); the answer is typed by
 * the message's `type`.
 */
export async function ask<M extends ExtensionMessageInput>(
  message: M,
): Promise<ExtensionResult<ExtensionAnswers[M['type']]>> {
  try {
    const answer = (await browser.runtime.sendMessage(message)) as
      ExtensionResult<ExtensionAnswers[M['type']]> | undefined;
    if (answer) return answer;
  } catch {
    // The extension was reloaded or updated under this page.
  }
  return { ok: false, error: { code: 'extension_updated', message: 'Series was updated: reload the page' } };
}
