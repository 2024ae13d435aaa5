/**
 * What a gift's message may be (zod-free, so the storefront's script checks it too as `@series/core/gift`): plain
 * text, without markup nor links (our mails never carry a link a stranger wrote), at most 500 characters and 10 lines.
 */
export const MAX_GIFT_MESSAGE = 500;
export const MAX_GIFT_LINES = 10;

/** What looks like HTML markup: `<` opening a tag, a closing tag, a comment or a declaration. */
export const MARKUP = /<\s*[a-z!/?]/i;

/** What looks like a link: a scheme (`https://…`) or `www.…`. */
export const LINK = /\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)/i;

/** Why a (trimmed) gift message is refused, or null when it is fine. */
export function giftMessageProblem(message: string): 'too_long' | 'too_many_lines' | 'markup' | 'link' | null {
  if (message.length > MAX_GIFT_MESSAGE) return 'too_long';
  if (message.split('\n').length > MAX_GIFT_LINES) return 'too_many_lines';
  if (MARKUP.test(message)) return 'markup';
  if (LINK.test(message)) return 'link';
  return null;
}
