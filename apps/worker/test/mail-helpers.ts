import { env } from 'cloudflare:workers';
import { vi } from 'vitest';

export interface OutboxMail {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_at: number;
}

/** Every mail in the local outbox to `to`, oldest first. */
export async function mailsTo(to: string): Promise<OutboxMail[]> {
  const { results } = await env.DB.prepare('SELECT * FROM mail_outbox WHERE to_address = ? ORDER BY created_at, rowid')
    .bind(to)
    .all<OutboxMail>();
  return results;
}

/**
 * Waits until `count` mails to `to` (whose subject matches `subject`, if given) are in the outbox, which the real
 * local queue fills (the request only queued them); the newest of them.
 */
export async function waitForMail(to: string, subject?: RegExp, count = 1): Promise<OutboxMail> {
  let found: OutboxMail[] = [];
  await vi.waitFor(
    async () => {
      found = (await mailsTo(to)).filter((m) => !subject || subject.test(m.subject));
      if (found.length < count) throw new Error(`${found.length} mails to ${to}`);
    },
    { timeout: 15_000, interval: 100 },
  );
  return found.at(-1)!;
}

/** The link's token in a mail (`/reset-password?token=…` or `/verify-email?token=…`). */
export function linkToken(mail: OutboxMail, path: '/reset-password' | '/verify-email'): string {
  const match = new RegExp(`https?://[^\\s]+${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text_body);
  if (!match) throw new Error(`no ${path} link in: ${mail.text_body}`);
  return match[1]!;
}
