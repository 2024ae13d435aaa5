import type { Mail } from './compose.js';
import { insertOutboxMail } from './queries.js';

/**
 * Where mails go. Two providers behind one interface: Cloudflare's Email sending binding (`EMAIL`, `send_email` in
 * wrangler.jsonc) for a deployed worker, and the local outbox (`MAIL_PROVIDER=outbox`: `npm start` sets it in
 * .dev.vars, the tests in vitest.config.ts), which keeps mails in D1's `mail_outbox` for the local outbox page.
 *
 * Like test payments, the outbox is an explicit opt-in and never a fall-back: a deploy (`MAIL_PROVIDER`
 * "cloudflare" in wrangler.jsonc) without the binding or a sender address fails to send, and the mail ends as a
 * dead letter an admin sees, rather than landing where anyone could read the reset links it holds.
 */
export interface Mailer {
  readonly name: 'cloudflare' | 'outbox';
  /** Sends one mail; throws when it could not (the queue retries it). */
  send(mail: Mail): Promise<void>;
}

export const usesOutbox = (env: Env) => env.MAIL_PROVIDER === 'outbox';

/** Mails cannot be sent (no binding or sender address in a deploy): retried, then recorded as undeliverable. */
export class MailNotConfigured extends Error {
  constructor() {
    super('Mail is not configured: set MAIL_FROM and the EMAIL send_email binding (wrangler.jsonc)');
  }
}

export function mailer(env: Env): Mailer {
  if (usesOutbox(env)) {
    return { name: 'outbox', send: (mail) => insertOutboxMail(env.DB, mail, Date.now()) };
  }
  return {
    name: 'cloudflare',
    async send(mail) {
      if (!env.EMAIL || !env.MAIL_FROM) throw new MailNotConfigured();
      await env.EMAIL.send({
        from: { name: 'Series', email: env.MAIL_FROM },
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
    },
  };
}
