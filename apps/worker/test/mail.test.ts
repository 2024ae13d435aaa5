// The Mailer, its queue and the local outbox: sending never blocks the request, failures are retried and end as
// dead letters admins see, the outbox exists only with MAIL_PROVIDER=outbox, and the Cloudflare provider fails
// closed without its configuration.
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { translator } from '@series/core';
import worker from '../src/index';
import { composeMail, type Mail } from '../src/mail/compose';
import { mailer, MailNotConfigured } from '../src/mail/mailer';
import { resetPasswordMail } from '../src/mail/messages';
import { MAIL_ATTEMPTS, queueMail, retryDelaySeconds } from '../src/mail/queue';
import { admin, call, expectError, signup, uniqueEmail } from './helpers';
import { waitForMail } from './mail-helpers';

const origin = 'https://series.example';
const sample = (to = uniqueEmail('mail')): Mail => resetPasswordMail(translator('en'), origin, to, 'T'.repeat(43));

/** Runs the worker's queue handler on one delivery of `mails` with `attempts`, under `overrides` of the env. */
async function deliver(mails: Mail[], attempts: number, overrides: Partial<Env> = {}) {
  const batch = createMessageBatch<Mail>(
    'series-mail',
    mails.map((body, i) => ({ id: `mail-${i}-${crypto.randomUUID()}`, body, timestamp: new Date(), attempts })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...overrides } as Env);
  return getQueueResult(batch, ctx);
}

const failures = (to: string) =>
  env.DB.prepare('SELECT * FROM mail_failures WHERE to_address = ?').bind(to).all<Record<string, unknown>>();

describe('composing', () => {
  it('writes text and HTML of the same content, escaped, with links on our origin only', () => {
    const t = translator('fr');
    const mail = composeMail(t, origin, 'a@b.test', 'verify_email', {
      subject: 'Sujet <b>',
      paragraphs: ['Bonjour <script>alert(1)</script>'],
      facts: [['Montant', '1,99 €']],
      action: { label: 'Ouvrir', url: `${origin}/verify-email?token=abc` },
    });
    expect(mail.text).toContain('Bonjour <script>alert(1)</script>');
    expect(mail.text).toContain('Montant: 1,99 €');
    expect(mail.text).toContain(`${origin}/verify-email?token=abc`);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).toContain(`href="${origin}/verify-email?token=abc"`);
    expect(mail.html).not.toMatch(/<img/);
    expect(() =>
      composeMail(t, origin, 'a@b.test', 'verify_email', {
        subject: 's',
        paragraphs: [],
        action: { label: 'x', url: 'https://evil.example/verify-email' },
      }),
    ).toThrow(/outside/);
  });
});

describe('the queue', () => {
  it('a queued mail reaches the outbox through the real local queue', async () => {
    const mail = sample();
    await queueMail(env, mail);
    const stored = await waitForMail(mail.to);
    expect(stored).toMatchObject({ subject: mail.subject, text_body: mail.text, html_body: mail.html });
  });

  it('a provider that fails is retried with a growing delay, then the mail is a dead letter admins see', async () => {
    const mail = sample();
    // A deploy without its sender address: the Cloudflare provider refuses, never the outbox.
    const deployed = { MAIL_PROVIDER: 'cloudflare', MAIL_FROM: '' };
    for (let attempts = 1; attempts < MAIL_ATTEMPTS; attempts++) {
      const result = await deliver([mail], attempts, deployed);
      expect(result.retryMessages).toHaveLength(1);
      expect(result.explicitAcks).toEqual([]);
    }
    expect([1, 2, 3, 4, 8, 20].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 3600, 3600]);
    expect((await failures(mail.to)).results).toEqual([]);

    const last = await deliver([mail], MAIL_ATTEMPTS, deployed);
    expect(last.retryMessages).toEqual([]);
    expect(last.explicitAcks).toHaveLength(1);
    const [failure] = (await failures(mail.to)).results;
    expect(failure).toMatchObject({ kind: 'reset_password', subject: mail.subject, attempts: MAIL_ATTEMPTS });
    expect(String(failure!.error)).toMatch(/MAIL_FROM/);
    // The dead letter keeps no body: the reset link is not in it.
    expect(JSON.stringify(failure)).not.toContain('T'.repeat(43));

    const listed = await call('GET', '/v1/admin/mail-failures', { token: await admin() });
    expect(listed.status).toBe(200);
    expect(listed.json.failures).toContainEqual(
      expect.objectContaining({ kind: 'reset_password', to: mail.to, attempts: MAIL_ATTEMPTS }),
    );
    expectError(await call('GET', '/v1/admin/mail-failures', { token: (await signup()).token }), 403, 'forbidden');
  });

  it('the Cloudflare provider sends through the EMAIL binding from MAIL_FROM, text and HTML', async () => {
    const sent: unknown[] = [];
    const binding = { send: async (m: unknown) => (sent.push(m), { messageId: 'm1' }) } as unknown as SendEmail;
    const mail = sample();
    const result = await deliver([mail], 1, {
      MAIL_PROVIDER: 'cloudflare',
      MAIL_FROM: 'no-reply@series.example',
      EMAIL: binding,
    });
    expect(result.explicitAcks).toHaveLength(1);
    expect(sent).toEqual([
      {
        from: { name: 'Series', email: 'no-reply@series.example' },
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      },
    ]);
    await expect(mailer({ ...env, MAIL_PROVIDER: 'cloudflare', MAIL_FROM: '' } as Env).send(mail)).rejects.toThrow(
      MailNotConfigured,
    );
  });

  it('a mail the queue refuses is recorded at once and the request still succeeds', async () => {
    const mail = sample();
    const broken = { ...env, MAIL: { send: () => Promise.reject(new Error('queue down')) } } as unknown as Env;
    await queueMail(broken, mail);
    expect((await failures(mail.to)).results[0]).toMatchObject({ attempts: 0, kind: 'reset_password' });
  });
});

describe('the local outbox page', () => {
  it('lists the mails with clickable links, and the HTML version under a script-free policy', async () => {
    const mail = sample();
    await queueMail(env, mail);
    const stored = await waitForMail(mail.to);
    const page = await call('GET', '/outbox');
    expect(page.status).toBe(200);
    expect(page.headers.get('Cache-Control')).toBe('private, no-store');
    expect(page.headers.get('Content-Security-Policy')).toMatch(/default-src 'none'/);
    expect(page.text).toContain(`data-mail-id="${stored.id}"`);
    expect(page.text).toContain(`<a href="${origin}/reset-password?token=${'T'.repeat(43)}">`);
    // The footer's "(https://series.example)" links the address, not the parenthesis.
    expect(page.text).toContain(`(<a href="${origin}">${origin}</a>)`);
    const one = await call('GET', `/outbox/${stored.id}`);
    expect(one.status).toBe(200);
    expect(one.text).toBe(mail.html);
    expect(one.headers.get('Content-Security-Policy')).not.toMatch(/script-src/);
    expect((await call('GET', '/outbox/mail_nope')).status).toBe(404);
  });

  it('does not exist unless MAIL_PROVIDER is "outbox"', async () => {
    for (const path of ['/outbox', '/outbox/anything']) {
      const res = await worker.fetch(
        new Request(`http://api.test${path}`),
        { ...env, MAIL_PROVIDER: 'cloudflare' } as Env,
        createExecutionContext(),
      );
      // Like any path the worker does not serve.
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });
});
