/**
 * What a gift's message may be (zod-free, so the storefront's script checks it too as `@series/core/gift`): plain
 * text, without markup nor links (our mails never carry a link a stranger wrote), at most 500 characters and 10 lines.
 */
export const MAX_GIFT_MESSAGE = 500;
export const MAX_GIFT_LINES = 10;

/** What looks like HTML markup: `<` opening a tag, a closing tag, a comment or a declaration. */
export const MARKUP = /<\s*[a-z!/?]/i;

/**
 * What looks like a link, or what a mail client would turn into one: a scheme (`https://…`, `mailto:`,
 * `javascript:`, even `https:/ /x`), `www.…`, a bare domain (`company-portal.example/login`: a name, a dot and a
 * top-level domain of letters) or an IPv4 address. A sentence missing its space after a full stop ("Enjoy.Love")
 * reads as a domain too: the buyer is asked to write it otherwise, never shown a link a stranger wrote.
 */
export const LINK =
  /\b(?:[a-z][a-z0-9+.-]*:\/\/|(?:https?|ftp|mailto|javascript|vbscript|data|file|tel|sms|intent):|www\.)|\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,24}\b|\b\d{1,3}(?:\.\d{1,3}){3}\b/i;

/** Why a (trimmed) gift message is refused, or null when it is fine. */
export function giftMessageProblem(message: string): 'too_long' | 'too_many_lines' | 'markup' | 'link' | null {
  if (message.length > MAX_GIFT_MESSAGE) return 'too_long';
  if (message.split('\n').length > MAX_GIFT_LINES) return 'too_many_lines';
  if (MARKUP.test(message)) return 'markup';
  if (LINK.test(message)) return 'link';
  return null;
}
