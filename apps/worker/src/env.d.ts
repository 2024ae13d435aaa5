// Optional secrets and settings that `wrangler types` cannot know about (it only types required secrets).
interface Env {
  /**
   * With PAYMENT_PROVIDER "stripe", this and STRIPE_WEBHOOK_SECRET are what Stripe mode needs; without both,
   * checkout answers 503 `payments_not_configured` (never the free test checkout: that is PAYMENT_PROVIDER "test").
   */
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  /**
   * "on": Stripe Tax collects tax on every sale (tax-inclusive prices; separate charges and transfers, the creator
   * paid net of tax and commission after payment; src/payments/tax.ts). Unset: no tax, destination charges.
   */
  STRIPE_TAX?: string;
  /**
   * The test provider's tax rates in basis points, for every buyer ("2000") or per buyer country
   * ("FR:2000,DE:1900,*:0"); unset: no tax (src/payments/tax.ts).
   */
  TEST_TAX_RATES?: string;
  /** Another Stripe API endpoint (e.g. a local mock in tests, stripe-mock in development). */
  STRIPE_API_BASE?: string;
  /**
   * The public origin of the storefront (e.g. https://series.example), for canonical links, OpenGraph URLs and
   * QR codes in cached pages; without it, the origin of the request.
   */
  SITE_ORIGIN?: string;
  /**
   * TikTok Login Kit ("Connect TikTok", "Continue with TikTok"): the app's client key and secret, and the key that
   * seals kept refresh tokens (AES-GCM; at least 32 characters). Without all three, TikTok sign-in answers that it
   * is not configured and everything else works as before.
   */
  TIKTOK_CLIENT_KEY?: string;
  TIKTOK_CLIENT_SECRET?: string;
  TOKEN_ENCRYPTION_KEY?: string;
  /** TikTok's origins, the real ones unless set (the local stand-in, scripts/tiktok-stand-in.mjs). */
  TIKTOK_AUTH_ORIGIN?: string;
  TIKTOK_API_ORIGIN?: string;
}
