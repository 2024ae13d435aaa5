import { inclusiveTax, MAX_TAX_RATE_BPS } from '@series/core';

/**
 * Whether this deploy collects tax, and at what rates in test mode (issue 21). Prices are tax-inclusive: the price a
 * buyer is shown is what they pay, and the tax is the part of it recorded per purchase when the payment completes.
 *
 * - Stripe (`PAYMENT_PROVIDER=stripe`): `STRIPE_TAX=on` turns Stripe Tax on; sales are then separate charges with
 *   `automatic_tax` and tax-inclusive prices, and the tax is the completed session's `total_details.amount_tax`.
 *   Unset (or anything else), sales are destination charges with no tax, exactly as before.
 * - The test provider: `TEST_TAX_RATES` gives rates in basis points, one for every buyer (`2000` = 20%) or per
 *   buyer country (`FR:2000,DE:1900,*:0`, `*` for every other country; a country not listed and no `*` pays none).
 *   The test checkout page asks the buyer's country when there are several. Unset or empty: no tax.
 */
export type TaxRates = ReadonlyMap<string, number>;

/** The default rate's key: every country not listed. */
export const OTHER_COUNTRIES = '*';

const COUNTRY = /^[A-Z]{2}$/;

/** `TEST_TAX_RATES` read; a malformed setting is an error of the deploy, said at once rather than taxed wrongly. */
export function parseTaxRates(spec: string | undefined): TaxRates | null {
  const text = spec?.trim();
  if (!text) return null;
  const rates = new Map<string, number>();
  for (const part of text.split(',')) {
    const entry = part.trim();
    const [key, value] = entry.includes(':') ? entry.split(':', 2) : [OTHER_COUNTRIES, entry];
    const country = key!.trim().toUpperCase();
    const bps = Number(value!.trim());
    if ((country !== OTHER_COUNTRIES && !COUNTRY.test(country)) || !Number.isInteger(bps) || bps < 0) {
      throw new Error(`TEST_TAX_RATES: "${entry}" is not COUNTRY:basis-points (e.g. FR:2000) or basis points`);
    }
    if (bps > MAX_TAX_RATE_BPS) throw new Error(`TEST_TAX_RATES: ${bps} is above ${MAX_TAX_RATE_BPS} basis points`);
    rates.set(country, bps);
  }
  return rates;
}

/** Stripe Tax is on for this deploy (`STRIPE_TAX=on`): taxed sales are separate charges and transfers. */
export const stripeTaxOn = (env: Env) => env.STRIPE_TAX === 'on';

/** The rate a buyer from `country` pays with the test provider (0 when none applies). */
export function testTaxRate(rates: TaxRates | null, country: string | null): number {
  if (!rates) return 0;
  const code = country?.toUpperCase() ?? '';
  return rates.get(code) ?? rates.get(OTHER_COUNTRIES) ?? 0;
}

/** The tax included in `amount` for a test-mode buyer from `country`. */
export const testTax = (rates: TaxRates | null, amount: number, country: string | null) =>
  inclusiveTax(amount, testTaxRate(rates, country));

/** The countries the test checkout page offers: the ones with their own rate (the rest are "other"). */
export const listedCountries = (rates: TaxRates | null) =>
  rates ? [...rates.keys()].filter((country) => country !== OTHER_COUNTRIES).sort() : [];
