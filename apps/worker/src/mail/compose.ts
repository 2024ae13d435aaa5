import type { Translator } from '@series/core';

/** What a mail is about: kept with undeliverable mails, so an admin knows which ones did not arrive. */
export type MailKind =
  | 'verify_email'
  | 'change_email'
  | 'email_changed'
  | 'reset_password'
  | 'receipt'
  | 'creator_approved'
  | 'creator_suspended'
  | 'first_sale'
  | 'payout_recorded'
  | 'daily_summary'
  | 'refund_request'
  | 'moderation'
  | 'gift'
  | 'gift_refused';

/** A mail ready to send: plain text and HTML of the same content, in the recipient's language. */
export interface Mail {
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** A mail's content, written once and rendered as text and as HTML. */
export interface MailContent {
  subject: string;
  paragraphs: string[];
  /** Label / value lines (a receipt's item, amount, date), shown as a table in HTML. */
  facts?: [label: string, value: string][];
  /** The one thing to do, as a button (HTML) and a bare address (text). */
  action?: { label: string; url: string };
  /** Lines after the action (how long a link works, what to do if it was not you). */
  after?: string[];
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Renders a mail. Links point at our own origin only (`origin`, the worker's public address): an action anywhere
 * else is a bug, and throws. No images, no tracking pixels, no per-recipient link decorations.
 */
export function composeMail(t: Translator, origin: string, to: string, kind: MailKind, content: MailContent): Mail {
  const { subject, paragraphs, facts = [], action, after = [] } = content;
  if (action && !action.url.startsWith(`${origin}/`)) throw new Error(`mail link outside ${origin}: ${action.url}`);
  const footer = t.t('mail.footer', { origin });
  const text = [
    t.t('mail.greeting'),
    ...paragraphs,
    ...(facts.length ? [facts.map(([label, value]) => `${label}: ${value}`).join('\n')] : []),
    ...(action ? [`${action.label}:\n${action.url}`] : []),
    ...after,
    `-- \n${footer}`,
  ].join('\n\n');
  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
  const html = [
    '<!doctype html>',
    `<html lang="${t.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`,
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#ffffff;color:#15171a;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif">',
    '<div style="max-width:560px;margin:0 auto">',
    p(t.t('mail.greeting')),
    ...paragraphs.map(p),
    facts.length
      ? `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">${facts
          .map(
            ([label, value]) =>
              `<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0;font-weight:600">${escapeHtml(label)}</th><td style="padding:4px 0">${escapeHtml(value)}</td></tr>`,
          )
          .join('')}</table>`
      : '',
    action
      ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="display:inline-block;padding:12px 20px;border-radius:8px;background:#15171a;color:#ffffff;text-decoration:none;font-weight:600">${escapeHtml(action.label)}</a></p>` +
        p(t.t('mail.linkFallback')) +
        `<p style="margin:0 0 16px;word-break:break-all"><a href="${escapeHtml(action.url)}" style="color:#15171a">${escapeHtml(action.url)}</a></p>`
      : '',
    ...after.map(p),
    `<hr style="border:0;border-top:1px solid #d8dadf;margin:24px 0"><p style="margin:0;color:#50555c;font-size:14px">${escapeHtml(footer)}</p>`,
    '</div></body></html>',
  ].join('');
  return { kind, to, subject, text, html };
}
