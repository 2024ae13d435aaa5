import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { NO_STORE } from '../lib/cache.js';
import { usesOutbox } from './mailer.js';
import { findOutboxMail, listOutbox } from './queries.js';

/** The outbox page runs no script; a mail's own HTML may use inline styles and nothing else (no images either). */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** A mail's text with its addresses clickable, so a person running it locally can follow the links. */
const linkify = (text: string) =>
  // An address ends before whitespace, a closing parenthesis or trailing punctuation ("(https://…)." reads right).
  escapeHtml(text).replace(/https?:\/\/[^\s<()]*[^\s<().,;:!?]/g, (url) => `<a href="${url}">${url}</a>`);

/**
 * The local outbox (`/outbox`): the mails the outbox provider kept instead of sending, newest first, each with its
 * text (links clickable) and its HTML version (`/outbox/:id`); `?to=` shows one recipient's. It exists only while MAIL_PROVIDER is "outbox" (npm
 * start, the tests); everywhere else these addresses are a plain 404, like any unknown path.
 */
export const outboxRoutes = new Hono<{ Bindings: Env }>()
  .use('/outbox', async (c, next) => (usesOutbox(c.env) ? next() : c.notFound()))
  .use('/outbox/*', async (c, next) => (usesOutbox(c.env) ? next() : c.notFound()))
  .get('/outbox', async (c) => {
    // ?to= shows one recipient's mails (the address typed in a form, one test account's).
    const to = c.req.query('to')?.trim().toLowerCase() || null;
    const mails = await listOutbox(c.env.DB, 100, to);
    c.header('Cache-Control', NO_STORE);
    c.header('Content-Security-Policy', CSP);
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(
      html`<!doctype html>
        <html lang="en">
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <meta name="robots" content="noindex" />
            <title>Local outbox · Series</title>
            <style>
              body {
                font:
                  16px/1.5 system-ui,
                  sans-serif;
                max-width: 48rem;
                margin: 2rem auto;
                padding: 0 1rem;
                color: #15171a;
              }
              article {
                border: 1px solid #d8dadf;
                border-radius: 12px;
                padding: 1rem 1.25rem;
                margin: 0 0 1rem;
              }
              h2 {
                font-size: 1.1rem;
                margin: 0 0 0.25rem;
              }
              pre {
                white-space: pre-wrap;
                word-break: break-word;
                font: inherit;
                background: #f4f5f7;
                padding: 0.75rem;
                border-radius: 8px;
              }
              .meta {
                color: #50555c;
                margin: 0;
              }
            </style>
          </head>
          <body>
            <h1>Local outbox${to ? html` · ${to}` : ''}</h1>
            <p>
              Mails the worker would have sent (MAIL_PROVIDER=outbox: local development only, never deployed). Newest
              first; reload to see new ones.
            </p>
            ${mails.length === 0 ? html`<p id="empty">No mail yet.</p>` : ''}
            ${mails.map(
              (m) =>
                html`<article data-mail-id="${m.id}" data-to="${m.to_address}">
                  <h2>${m.subject}</h2>
                  <p class="meta">
                    To ${m.to_address} · ${new Date(m.created_at).toISOString()} ·
                    <a href="/outbox/${m.id}">HTML version</a>
                  </p>
                  <pre>${raw(linkify(m.text_body))}</pre>
                </article>`,
            )}
          </body>
        </html>`,
      200,
    );
  })
  .get('/outbox/:id', async (c) => {
    const mail = await findOutboxMail(c.env.DB, c.req.param('id'));
    if (!mail) return c.notFound();
    c.header('Cache-Control', NO_STORE);
    c.header('Content-Security-Policy', CSP);
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(mail.html_body, 200);
  });
