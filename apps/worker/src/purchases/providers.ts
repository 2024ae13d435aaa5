import { sign, verify } from '../lib/signing.js';
import type { PurchaseRow } from './rows.js';

/**
 * How a buyer pays for a pending purchase. A provider only hands out a checkout URL; whatever
 * confirms the payment (the test page's Pay button, a provider webhook) calls `completePurchase`.
 */
export interface PaymentProvider {
  readonly name: string;
  /** How long a buyer has to pay once the checkout starts. */
  readonly checkoutTtlMs: number;
  checkoutUrl(purchase: PurchaseRow, apiOrigin: string): Promise<string>;
}

const CHECKOUT_LINK = 'test-checkout-link';

/** The built-in provider: a page served by this worker with Pay / Cancel; no money moves. */
export function testProvider(env: Env): PaymentProvider & { verifyLink(purchaseId: string, sig: string): Promise<boolean> } {
  return {
    name: 'test',
    checkoutTtlMs: 60 * 60 * 1000,
    async checkoutUrl(purchase, apiOrigin) {
      // The link is a capability: whoever opens it can pay, so it is signed rather than guessable.
      const sig = await sign(env.SIGNING_SECRET, CHECKOUT_LINK, purchase.id);
      return `${apiOrigin}/checkout/${purchase.id}?sig=${sig}`;
    },
    verifyLink: (purchaseId, sig) => verify(env.SIGNING_SECRET, CHECKOUT_LINK, purchaseId, sig),
  };
}

export function paymentProvider(env: Env): PaymentProvider {
  switch (env.PAYMENT_PROVIDER) {
    case 'test':
      return testProvider(env);
    default:
      throw new Error(`Unknown PAYMENT_PROVIDER "${env.PAYMENT_PROVIDER}"`);
  }
}
