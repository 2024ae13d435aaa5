import { purchaseIdSchema, translator, type Translator } from '@series/core';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { AppEnv } from '../lib/context.js';
import { pickLocale } from '../lib/locale.js';
import { cancelPurchase, completePurchase } from '../ledger/sale-queries.js';
import { ledgerFor, legacyLedger } from '../ledger/placement.js';
import { usesTestPayments } from './stripe-client.js';
import { paymentProvider, verifyCheckoutLink } from './providers.js';
import { returnUrl } from '../ledger/queries.js';
import { findCheckoutPage } from './queries.js';
import { publicOrigin } from '../mail/notices.js';
import { queuePurchaseMails } from '../mail/queue.js';
import { listedCountries, parseTaxRates, testTax } from './tax.js';

/** No scripts at all: the page is plain HTML forms, so the strictest policy holds. */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function page(t: Translator, title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
    <html lang="${t.locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex" />
        <title>${t.t('checkout.title', { what: title })}</title>
        <style>
          body {
            font:
              16px/1.5 system-ui,
              sans-serif;
            max-width: 28rem;
            margin: 3rem auto;
            padding: 0 1rem;
            color: #111;
          }
          .card {
            border: 1px solid #ddd;
            border-radius: 12px;
            padding: 1.5rem;
          }
          .banner {
            background: #fff4d6;
            border-radius: 8px;
            padding: 0.5rem 0.75rem;
            font-size: 0.875rem;
            margin-bottom: 1rem;
          }
          .price {
            font-size: 2rem;
            font-weight: 700;
            margin: 0.5rem 0 1rem;
          }
          button {
            font: inherit;
            min-height: 44px;
            padding: 0.6rem 1.2rem;
            border-radius: 8px;
            border: 1px solid #111;
            cursor: pointer;
            background: #fff;
            color: #111;
          }
          button.pay {
            background: #111;
            color: #fff;
          }
          form {
            display: inline;
            margin-right: 0.5rem;
          }
          a {
            color: #0b57d0;
          }
        </style>
      </head>
      <body>
        <main class="card">${body}</main>
      </body>
    </html>`;
}

const testBanner = (t: Translator) => html`<div class="banner">${t.t('checkout.testMode')}</div>`;

type Outcome = 'confirming' | 'paid' | 'expired' | 'cancelled' | 'already_owned' | 'not_on_sale' | 'refunded';
const OUTCOMES: readonly string[] = [
  'confirming',
  'paid',
  'expired',
  'cancelled',
  'already_owned',
  'not_on_sale',
  'refunded',
];

/** The page's own rules, for every answer it gives (the refusals below included). */
const pageHeaders = createMiddleware<AppEnv>(async (c, next) => {
  c.header('Content-Security-Policy', CSP);
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Vary', 'Accept-Language, Cookie');
  await next();
});

const notFoundPageOf = (c: Context<AppEnv>, t: Translator) =>
  c.html(
    page(
      t,
      t.t('checkout.notFoundTitle'),
      html`<h1>${t.t('checkout.notFound')}</h1>
        <p>${t.t('checkout.notFoundText')}</p>`,
    ),
    404,
  );

/** A creator id as `newId('cr')` makes them. */
const CREATOR_ID = /^cr_[0-9A-Za-z]{8,40}$/;

/** A form post carries one signature: a few hundred bytes. Anything longer is refused unread. */
export const CHECKOUT_FORM_LIMIT = 4 * 1024;
const FORM_ACTIONS: readonly string[] = ['pay', 'cancel'];

/**
 * Pay and Cancel are form posts. The address (a purchase id, a known action) is checked before a byte of the
 * body is read; then at most 4 KB are read, and the handler checks the signature before anything else.
 */
const formGuard = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== 'POST') return next();
  const t = translator(pickLocale(c).locale);
  if (!purchaseIdSchema.safeParse(c.req.param('id')).success || !FORM_ACTIONS.includes(c.req.param('action') ?? '')) {
    return notFoundPageOf(c, t);
  }
  return bodyLimit({
    maxSize: CHECKOUT_FORM_LIMIT,
    onError: (c) =>
      c.html(
        page(
          t,
          t.t('checkout.tooLarge'),
          html`<h1>${t.t('checkout.tooLarge')}</h1>
            <p>${t.t('checkout.tooLargeText')}</p>`,
        ),
        413,
      ),
  })(c, next);
});

/** Where the request comes from, as Cloudflare geolocates it (absent locally): the default country to pick. */
function requestCountry(c: Context<AppEnv>): string | null {
  const country = (c.req.raw as { cf?: { country?: unknown } }).cf?.country;
  return typeof country === 'string' && /^[A-Z]{2}$/.test(country) ? country : null;
}

/**
 * With rates per country, the test page asks where the buyer is, as Stripe Checkout asks for a billing address:
 * the countries that have their own rate, named in the page's language, and every other country.
 */
function countryPicker(t: Translator, countries: string[], here: string | null) {
  if (countries.length === 0) return '';
  const names = new Intl.DisplayNames([t.locale], { type: 'region' });
  return html`<p>
    <label
      >${t.t('checkout.country')}
      <select name="country">
        ${countries.map(
          (code) => html`<option value="${code}" ${code === here ? 'selected' : ''}>${names.of(code) ?? code}</option>`,
        )}
        <option value="" ${here && countries.includes(here) ? '' : 'selected'}>${t.t('checkout.otherCountry')}</option>
      </select></label
    >
  </p>`;
}

/**
 * The buyer's checkout page, served at the site root (it is for people, in a browser tab): in test mode
 * it has Pay / Cancel; with Stripe it is where Stripe returns the buyer, showing how the payment ended.
 */
export const checkoutPage = new Hono<AppEnv>().on(
  ['GET', 'POST'],
  '/checkout/:id/:action?',
  pageHeaders,
  formGuard,
  async (c) => {
    const id = c.req.param('id');
    const action = c.req.param('action');
    // A body that cannot parse (a broken multipart form) carries no signature: the link is refused like any other.
    const form = c.req.method === 'POST' ? await c.req.parseBody().catch(() => ({}) as Record<string, unknown>) : {};
    const sig = c.req.method === 'GET' ? (c.req.query('sig') ?? '') : String(form['sig'] ?? '');
    // The purchase's creator, whose ledger holds it (a link made before it named one: `legacyLedger`).
    const creator = String((c.req.method === 'GET' ? c.req.query('c') : form['c']) ?? '');
    const hint = CREATOR_ID.test(creator) ? creator : null;
    const db = hint ? ledgerFor(c.env, hint) : legacyLedger(c.env);
    const t = translator(pickLocale(c).locale);
    const notFoundPage = () => notFoundPageOf(c, t);
    const validLink = purchaseIdSchema.safeParse(id).success && !!sig && (await verifyCheckoutLink(c.env, id, sig));
    const found = validLink ? await findCheckoutPage(db, id) : null;
    const row = found && (!hint || found.creator_id === hint) ? found : null;
    if (!row) return notFoundPage();
    const self = `/checkout/${id}?sig=${encodeURIComponent(sig)}${hint ? `&c=${encodeURIComponent(hint)}` : ''}`;
    // The Pay button exists only while the server runs in test mode: switching to Stripe closes old test checkouts.
    const testMode = row.provider === 'test' && usesTestPayments(c.env);
    if (c.req.method === 'POST' && testMode) {
      if (action === 'pay') {
        // The tax the configured rate puts in the price, for the country the buyer chose (or where they are).
        const rates = parseTaxRates(c.env.TEST_TAX_RATES);
        const chosen = String(form['country'] ?? '');
        const country = listedCountries(rates).includes(chosen) ? chosen : null;
        const { outcome } = await completePurchase(db, id, {
          providerRef: `test_${crypto.randomUUID()}`,
          tax: testTax(rates, row.amount, country),
        });
        // The receipt (and a first sale's notice) by mail, once: only the call that completed it sends them.
        if (outcome === 'completed') {
          await queuePurchaseMails(c.env, publicOrigin(c.env, new URL(c.req.url).origin)!, id, row.creator_id);
        }
      } else if (action === 'cancel') await cancelPurchase(db, id);
      else return notFoundPage();
      // Post/redirect/get: reloading the result page never re-submits the payment. A storefront checkout
      // goes back to its page, which follows the purchase from there.
      return c.redirect(returnUrl(row) ?? self, 303);
    }
    if (action) return notFoundPage();
    if (!testMode && c.req.query('result') === 'cancelled' && row.status === 'pending') {
      // Close the provider's session first: only once it can no longer be paid is the purchase cancelled.
      if (await paymentProvider(c.env).closeCheckout(row)) await cancelPurchase(db, id);
      return c.redirect(returnUrl(row) ?? self, 303);
    }

    const price = t.price(row.amount, row.currency);
    const what = row.episode_title
      ? t.t('checkout.episodeOf', { episode: row.episode_title, series: row.series_title })
      : t.t('checkout.wholeSeries', { series: row.series_title });
    // What a discount (or the buyer's credit for episodes owned) took off the list price, recorded on the purchase.
    const listAmount = row.list_amount ?? row.amount;
    const saved =
      listAmount > row.amount
        ? html`<p class="was" data-list-amount="${listAmount}">
            ${t.t('sale.saved', {
              was: t.price(listAmount, row.currency),
              saved: t.price(listAmount - row.amount, row.currency),
            })}
          </p>`
        : '';
    // Prices are tax-inclusive: what is shown is what is paid; once paid, the tax it included is said.
    const rates = testMode ? parseTaxRates(c.env.TEST_TAX_RATES) : null;
    const taxNote =
      (row.tax_amount ?? 0) > 0
        ? html`<p class="tax" data-tax-amount="${row.tax_amount}">
            ${t.t('checkout.taxIncludedAmount', { tax: t.price(row.tax_amount!, row.currency) })}
          </p>`
        : rates && row.status === 'pending'
          ? html`<p class="tax">${t.t('checkout.taxIncluded')}</p>`
          : '';
    const heading = html`<p>${row.display_name}</p>
      <h1>${what}</h1>
      <div class="price">${price}</div>
      ${saved}${taxNote}`;
    const open = row.status === 'pending' && row.expires_at > Date.now();
    const reason =
      row.status_reason === 'already_owned' || row.status_reason === 'not_on_sale' ? row.status_reason : null;
    const status =
      open && !testMode ? 'confirming' : open ? null : row.status === 'pending' ? 'expired' : (reason ?? row.status);
    // With Stripe, the webhook may land a moment after the buyer returns: refresh until it does.
    if (status === 'confirming') c.header('Refresh', '3');
    // A gift unlocks nothing for its buyer: its recipient is mailed a link instead.
    const gift = row.owner_id !== undefined && row.owner_id !== row.buyer_id;
    const statusText =
      status === 'paid' && gift
        ? t.t('checkout.status.giftPaid')
        : status && OUTCOMES.includes(status)
          ? t.t(`checkout.status.${status as Outcome}`)
          : status;
    const back = row.return_to ? html`<p><a href="${returnUrl(row)}">${t.t('checkout.back')}</a></p>` : '';
    return c.html(
      page(
        t,
        open && testMode ? t.t('checkout.pay') : t.t('checkout.checkout'),
        open && testMode
          ? html`${testBanner(t)}${heading}
              <form method="post" action="/checkout/${id}/pay">
                <input type="hidden" name="sig" value="${sig}" /><input
                  type="hidden"
                  name="c"
                  value="${row.creator_id}"
                />${countryPicker(t, listedCountries(rates), requestCountry(c))}<button class="pay" type="submit">
                  ${t.t('checkout.payButton', { price })}
                </button>
              </form>
              <form method="post" action="/checkout/${id}/cancel">
                <input type="hidden" name="sig" value="${sig}" />
                <input type="hidden" name="c" value="${row.creator_id}" />
                <button type="submit">${t.t('checkout.cancelButton')}</button>
              </form>`
          : html`${testMode ? testBanner(t) : ''}${heading}
              <p role="status" data-status="${status}">${statusText}</p>
              ${back}`,
      ),
      200,
    );
  },
);
