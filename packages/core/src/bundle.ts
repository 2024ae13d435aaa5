import { CURRENCIES, type Currency } from './currency.js';

/**
 * What "buy all" costs one buyer: the whole-series price less what they paid for the episodes of that series they
 * own (net of refunds), never below the currency's minimum price (`CURRENCIES[currency].min`) and never above the
 * whole-series price. The whole series still brings the episodes added later, so a buyer who owns every episode
 * pays the minimum to complete it. The ledger computes `paidForOwned` from the database when a checkout starts.
 * @example bundlePriceFor(499, 0, 'USD') // 499; bundlePriceFor(499, 199, 'USD') // 300; bundlePriceFor(499, 498, 'USD') // 99
 */
export function bundlePriceFor(bundlePrice: number, paidForOwned: number, currency: Currency): number {
  if (!Number.isSafeInteger(bundlePrice) || bundlePrice <= 0)
    throw new RangeError('bundlePrice must be a positive integer');
  if (!Number.isSafeInteger(paidForOwned) || paidForOwned < 0) {
    throw new RangeError('paidForOwned must be a non-negative integer');
  }
  const { min } = CURRENCIES[currency];
  return Math.max(Math.min(min, bundlePrice), bundlePrice - paidForOwned);
}
