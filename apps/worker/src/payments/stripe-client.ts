import Stripe from 'stripe';

/** Test mode is an explicit opt-in (local development, tests); everything else sells through Stripe. */
export const usesTestPayments = (env: Env) => env.PAYMENT_PROVIDER === 'test';

export function stripeConfigured(env: Env): env is Env & { STRIPE_SECRET_KEY: string; STRIPE_WEBHOOK_SECRET: string } {
  return !!env.STRIPE_SECRET_KEY && !!env.STRIPE_WEBHOOK_SECRET;
}

/** A Stripe client on Workers: fetch for HTTP, WebCrypto for signatures. */
export function stripeClient(env: Env & { STRIPE_SECRET_KEY: string }): Stripe {
  const base = env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : null;
  return new Stripe(env.STRIPE_SECRET_KEY, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 2,
    timeout: 15_000,
    ...(base ? { host: base.hostname, port: base.port, protocol: base.protocol === 'http:' ? 'http' : 'https' } : {}),
  });
}

// Annotated: the declaration build (`npm run types`) cannot name the inferred type from stripe's internals.
export const webCrypto: Stripe.CryptoProvider = Stripe.createSubtleCryptoProvider();

/** Stripe spells currencies in lower case; we store ISO codes in upper case. */
export const stripeCurrency = (currency: string) => currency.toLowerCase();
