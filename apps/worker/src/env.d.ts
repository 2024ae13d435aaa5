// Optional secrets and settings that `wrangler types` cannot know about (it only types required secrets).
interface Env {
  /**
   * With PAYMENT_PROVIDER "stripe", this and STRIPE_WEBHOOK_SECRET are what Stripe mode needs; without both,
   * checkout answers 503 `payments_not_configured` (never the free test checkout: that is PAYMENT_PROVIDER "test").
   */
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  /** Another Stripe API endpoint (e.g. a local mock in tests, stripe-mock in development). */
  STRIPE_API_BASE?: string;
  /**
   * The public origin of the storefront (e.g. https://series.example), for canonical links, OpenGraph URLs and
   * QR codes in cached pages; without it, the origin of the request.
   */
  SITE_ORIGIN?: string;
}
