import { CURRENCIES, type Currency } from '@series/core';

/** schema.org wants a decimal string in the currency's own units. */
export function schemaPrice(amount: number, currency: Currency): string {
  const { exponent } = CURRENCIES[currency];
  return (amount / 10 ** exponent).toFixed(exponent);
}

/** ISO 8601 duration, e.g. PT9M5S. */
export function isoDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `PT${m ? `${m}M` : ''}${s || !m ? `${s}S` : ''}`;
}

export const VIDEO_SITE_PROFILE = (handle: string) => `https://www.tiktok.com/@${handle}`;

export function personLd(handle: string, name: string, url: string) {
  return { '@type': 'Person', name, alternateName: `@${handle}`, url, sameAs: [VIDEO_SITE_PROFILE(handle)] };
}

export function offerLd(amount: number, currency: Currency, url: string, name?: string) {
  return {
    '@type': 'Offer',
    ...(name ? { name } : {}),
    price: schemaPrice(amount, currency),
    priceCurrency: currency,
    url,
    availability: 'https://schema.org/InStock',
  };
}
