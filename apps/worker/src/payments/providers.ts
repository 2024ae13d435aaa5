import type { Currency } from '@series/core';
import Stripe from 'stripe';
import { ApiError } from '../lib/errors.js';
import { sign, verify } from '../lib/signing.js';
import { stripeClient, stripeConfigured, stripeCurrency, usesTestPayments } from './stripe-client.js';
import { returnUrl, type PurchaseRow } from '../ledger/queries.js';
import { stripeTaxOn } from './tax.js';

export interface CheckoutContext {
  purchase: PurchaseRow;
  /** What the buyer sees on the payment page. */
  description: string;
  /** The creator's Stripe account (Connect), where the money goes. */
  destinationAccount: string | null;
  apiOrigin: string;
}

/**
 * How a buyer pays for a pending purchase. A provider only starts a checkout; whatever confirms the
 * payment (the test page's Pay button, Stripe's webhook) completes it through `completePurchase`,
 * so the rest of the worker never knows which provider runs.
 */
export interface PaymentProvider {
  readonly name: 'test' | 'stripe';
  /** How long a buyer has to pay once the checkout starts. */
  readonly checkoutTtlMs: number;
  /**
   * Stripe with tax on (`STRIPE_TAX=on`): sales are separate charges on the platform with Stripe Tax, and the creator
   * is paid by a transfer once the payment completed (payments/transfers.ts). The purchase records it at checkout.
   */
  readonly separateCharges: boolean;
  /** Refuses to sell for a creator who cannot be paid through this provider. */
  assertCanSell(creator: { stripe_account_id: string | null; stripe_charges_enabled: number }): void;
  /** The page where the buyer pays, and the provider's reference for it. Idempotent per purchase. */
  startCheckout(ctx: CheckoutContext): Promise<{ url: string; ref: string | null }>;
  /** Closes an unpaid checkout at the provider; false when it can no longer be closed (it was paid). */
  closeCheckout(purchase: PurchaseRow): Promise<boolean>;
  /**
   * Closes the provider's session of a checkout (`provider_ref`; null: none was opened) so it can no longer be
   * paid: 'closed', or 'not_open' when the provider says it is not open any more (paid, or closed already).
   * Throws when the provider cannot be reached, so a background caller retries.
   */
  expireSession(ref: string | null): Promise<'closed' | 'not_open'>;
  /**
   * Gives `amount` of a paid purchase back to its buyer, taking the creator's share and the platform's fee back
   * too; idempotent per `key`. What the provider says of it; the caller records it through the ledger's
   * `recordRefund`, the path the provider's later confirmation takes as well.
   */
  refund(purchase: PurchaseRow, amount: number, key: string): Promise<ProviderRefund>;
}

/** A refund as the provider reports it. */
export interface ProviderRefund {
  id: string;
  amount: number;
  /** Failed or cancelled: no money went back. */
  failed: boolean;
}

const CHECKOUT_LINK = 'checkout-link';

/**
 * The signed link to our own checkout page: whoever opens it may pay, so it is not guessable. It names the
 * purchase's creator (`c`), whose ledger holds the purchase; a link made before it did has none, and its purchase
 * is where those were recorded (`legacyLedger`). The creator only routes: a wrong one finds no such purchase.
 */
export async function checkoutPageUrl(env: Env, apiOrigin: string, purchase: { id: string; creator_id: string }) {
  const sig = await sign(env.SIGNING_SECRET, CHECKOUT_LINK, purchase.id);
  return `${apiOrigin}/checkout/${purchase.id}?sig=${sig}&c=${encodeURIComponent(purchase.creator_id)}`;
}

export const verifyCheckoutLink = (env: Env, purchaseId: string, sig: string) =>
  verify(env.SIGNING_SECRET, CHECKOUT_LINK, purchaseId, sig);

/** The built-in provider: a page served by this worker with Pay / Cancel; no money moves. */
function testProvider(env: Env): PaymentProvider {
  return {
    name: 'test',
    checkoutTtlMs: 60 * 60 * 1000,
    separateCharges: false,
    assertCanSell() {},
    async startCheckout({ purchase, apiOrigin }) {
      return { url: await checkoutPageUrl(env, apiOrigin, purchase), ref: null };
    },
    async closeCheckout() {
      return true;
    },
    // The test page refuses to pay once the series is off sale; there is no session elsewhere to close.
    async expireSession() {
      return 'closed';
    },
    // No money moved, so none goes back: the refund is named after its key, so a retry is the same refund.
    async refund(purchase, amount, key) {
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${purchase.id}\n${key}`));
      const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
      return { id: `re_test_${hex.slice(0, 24)}`, amount, failed: false };
    },
  };
}

/** Stripe Checkout with a destination charge to the creator's connected account. */
function stripeProvider(env: Env & { STRIPE_SECRET_KEY: string }): PaymentProvider {
  const stripe = stripeClient(env);
  const expireSession = async (ref: string | null): Promise<'closed' | 'not_open'> => {
    if (!ref) return 'closed';
    try {
      const session = await stripe.checkout.sessions.expire(ref);
      return session.status === 'expired' ? 'closed' : 'not_open';
    } catch (err) {
      // Stripe refuses (400) to expire a session that is complete or expired already: nothing left to close.
      if (err instanceof Stripe.errors.StripeInvalidRequestError) return 'not_open';
      throw err;
    }
  };
  return {
    name: 'stripe',
    // Stripe keeps a Checkout Session open for at least 30 minutes; ours closes with it.
    checkoutTtlMs: 60 * 60 * 1000,
    separateCharges: stripeTaxOn(env),
    assertCanSell(creator) {
      if (!creator.stripe_account_id || !creator.stripe_charges_enabled) {
        throw new ApiError(409, 'creator_cannot_sell', 'This creator cannot take payments yet');
      }
    },
    async startCheckout({ purchase, description, destinationAccount, apiOrigin }) {
      const page = await checkoutPageUrl(env, apiOrigin, purchase);
      // The purchase and its creator travel with the session and its PaymentIntent, so each webhook (a completion,
      // and a refund or dispute, which Stripe reports against the payment) finds the creator's ledger directly.
      const metadata = { purchase_id: purchase.id, creator_id: purchase.creator_id };
      const taxed = purchase.separate_charge === 1;
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          client_reference_id: purchase.id,
          metadata,
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: stripeCurrency(purchase.currency as Currency),
                unit_amount: purchase.amount,
                product_data: { name: description },
                // Tax-inclusive: the price shown is the price paid, the tax a part of it.
                ...(taxed ? { tax_behavior: 'inclusive' as const } : {}),
              },
            },
          ],
          ...(taxed
            ? {
                // Stripe Tax, on the platform's registrations (liability stays the platform's: `self`, the
                // default without on_behalf_of); Checkout asks the buyer for the address it needs.
                automatic_tax: { enabled: true },
                // A separate charge: the creator's transfer follows the payment, net of tax and commission.
                payment_intent_data: { transfer_group: purchase.id, metadata },
              }
            : {
                payment_intent_data: {
                  // The commission in force when the checkout started (0 today: the creator gets 100%).
                  application_fee_amount: purchase.commission_amount,
                  transfer_data: { destination: destinationAccount! },
                  metadata,
                },
              }),
          // Stripe wants 30 minutes at least, also when a retry starts the session late.
          expires_at: Math.floor(Math.max(purchase.expires_at, Date.now() + 31 * 60_000) / 1000),
          // A storefront checkout comes back to its page, which shows "confirming payment…" until paid.
          success_url: returnUrl(purchase) ? `${apiOrigin}${returnUrl(purchase)}` : `${page}&result=success`,
          // Cancelling goes through our page first: it closes the session before the purchase is cancelled.
          cancel_url: `${page}&result=cancelled`,
        },
        // One Stripe session per purchase, however often the checkout is retried.
        { idempotencyKey: `checkout:${purchase.id}` },
      );
      if (!session.url) throw new Error('Stripe returned a session without a URL');
      return { url: session.url, ref: session.id };
    },
    async closeCheckout(purchase) {
      return (await expireSession(purchase.provider_ref).catch(() => 'not_open' as const)) === 'closed';
    },
    expireSession,
    async refund(purchase, amount, key) {
      if (!purchase.payment_ref) throw new ApiError(409, 'not_refundable', 'This sale has no payment to refund');
      // A destination charge: the creator's transfer and the platform's fee are taken back in proportion. A
      // separate charge has neither: its transfer is reversed by its own call once the refund is applied.
      const refund = await stripe.refunds.create(
        {
          payment_intent: purchase.payment_ref,
          amount,
          ...(purchase.separate_charge === 1 ? {} : { reverse_transfer: true, refund_application_fee: true }),
          metadata: { purchase_id: purchase.id, creator_id: purchase.creator_id },
        },
        { idempotencyKey: `refund:${purchase.id}:${key}` },
      );
      return {
        id: refund.id,
        amount: refund.amount ?? amount,
        failed: refund.status === 'failed' || refund.status === 'canceled',
      };
    },
  };
}

export function paymentProvider(env: Env): PaymentProvider {
  if (usesTestPayments(env)) return testProvider(env);
  // Without both Stripe secrets nothing is sold: never a silent fall-back to the free test checkout.
  if (!stripeConfigured(env)) {
    throw new ApiError(503, 'payments_not_configured', 'Payments are not configured on this server yet');
  }
  return stripeProvider(env);
}
