import type { PromoCodeRow, SaleItem } from '../ledger/sale-queries.js';
import { ApiError } from '../lib/errors.js';

/**
 * Which of the codes written as the buyer typed it applies to this item, or the 4xx that says why none does, with a
 * stable code: unknown (no creator has it), another creator's, another series' of this creator, paused, expired,
 * already used by this buyer (one per buyer), or used up (its maximum of redemptions held or paid). Nothing is
 * created on a refusal. The INSERT that starts the checkout holds the same conditions under concurrency.
 */
export function applicableCode(rows: PromoCodeRow[] | null, item: SaleItem, now: number): PromoCodeRow {
  const creators = (rows ?? []).filter((r) => r.creator_id === item.creatorId);
  if (!creators.length) {
    throw rows?.length
      ? new ApiError(422, 'promo_code_other_creator', 'This code is for another creator’s series')
      : new ApiError(422, 'promo_code_unknown', 'This promo code does not exist');
  }
  const code = creators[0]!;
  if (code.series_id !== null && code.series_id !== item.seriesId) {
    throw new ApiError(422, 'promo_code_other_series', 'This code is for another series of this creator');
  }
  if (code.paused) throw new ApiError(422, 'promo_code_paused', 'This promo code is paused');
  if (code.expires_at !== null && code.expires_at <= now) {
    throw new ApiError(422, 'promo_code_expired', 'This promo code has expired');
  }
  if (code.used) throw new ApiError(409, 'promo_code_used', 'You have already used this promo code');
  if (code.max_redemptions !== null && code.held >= code.max_redemptions) {
    throw new ApiError(409, 'promo_code_exhausted', 'This promo code has been used up');
  }
  return code;
}
