import { z } from 'zod';
import { CURRENCIES, type Currency } from './currency.js';
import type { Translator } from './i18n/index.js';

/**
 * Temporary discounts a creator sets on a series: on all its episodes, on one episode, or on the whole series
 * ("buy all"); a percentage or a fixed amount off, from a start to an end instant. The ledger prices every checkout
 * with `bestPrice` (never from the client), the storefront, the player and the checkout page show the same figure.
 */
export const DISCOUNT_SCOPES = ['episodes', 'episode', 'bundle'] as const;
export type DiscountScope = (typeof DISCOUNT_SCOPES)[number];
export const DISCOUNT_KINDS = ['percent', 'fixed'] as const;
export type DiscountKind = (typeof DISCOUNT_KINDS)[number];

/** The longest a temporary discount may run. */
export const MAX_DISCOUNT_DAYS = 92;
/** How many discounts a series may have that have not ended yet. */
export const MAX_LIVE_DISCOUNTS = 20;

/** What takes money off a price: a percentage (1-99) or a fixed amount in minor units. */
export interface Reduction {
  kind: DiscountKind;
  value: number;
}

/** A discount as the ledger reads it (instants in ms). */
export interface DiscountTerms extends Reduction {
  id: string;
  scope: DiscountScope;
  episodeId: string | null;
  startsAt: number;
  endsAt: number;
}

/**
 * A price after a reduction: never above the price, never below the currency's minimum (a price already at or
 * below it is not lowered). Percentages round to the nearest minor unit.
 * @example reducedPrice(299, { kind: 'percent', value: 50 }, 'EUR') // 150; reducedPrice(299, { kind: 'fixed', value: 250 }, 'EUR') // 99
 */
export function reducedPrice(price: number, reduction: Reduction, currency: Currency): number {
  if (!Number.isSafeInteger(price) || price <= 0) throw new RangeError('price must be a positive integer');
  const { min } = CURRENCIES[currency];
  if (price <= min) return price;
  const off = reduction.kind === 'percent' ? Math.round((price * reduction.value) / 100) : reduction.value;
  return Math.min(price, Math.max(min, price - Math.max(0, off)));
}

/** Whether a discount covers this item: an episode (by id) or the whole series (`null`). */
export function discountCovers(d: Pick<DiscountTerms, 'scope' | 'episodeId'>, episodeId: string | null): boolean {
  if (episodeId === null) return d.scope === 'bundle';
  return d.scope === 'episodes' || (d.scope === 'episode' && d.episodeId === episodeId);
}

/** Whether a discount is in force at `now`: started, not yet ended. */
export const discountLive = (d: Pick<DiscountTerms, 'startsAt' | 'endsAt'>, now: number) =>
  d.startsAt <= now && now < d.endsAt;

export interface SalePrice<T> {
  /** What the item costs after the best offer. */
  price: number;
  /** The offer that gave it. */
  offer: T;
}

/**
 * The lowest price any of `offers` gives the item (offers do not stack: each applies to the list price and the
 * lowest wins), or null when none lowers it. Ties keep the first offer given.
 */
export function bestPrice<T extends Reduction>(
  listPrice: number,
  offers: readonly T[],
  currency: Currency,
): SalePrice<T> | null {
  let best: SalePrice<T> | null = null;
  for (const offer of offers) {
    const price = reducedPrice(listPrice, offer, currency);
    if (price < listPrice && (!best || price < best.price)) best = { price, offer };
  }
  return best;
}

/** Reads the JSON list of discounts the database gives (`discountsInForce` in the worker), tolerating none. */
export function parseDiscounts(json: unknown): DiscountTerms[] {
  if (typeof json !== 'string' || !json) return [];
  const rows = JSON.parse(json) as DiscountTerms[];
  return Array.isArray(rows) ? rows.filter((d) => d && typeof d.id === 'string') : [];
}

const instant = (label: string) =>
  z.iso.datetime({ offset: true, error: `${label} must be an ISO 8601 date-time` }).transform((s) => Date.parse(s));

/** `POST /v1/series/:id/discounts`: a temporary discount on a series' episodes, one episode, or the whole series. */
export const discountCreateSchema = z
  .strictObject({
    scope: z.enum(DISCOUNT_SCOPES, { error: 'scope is episodes, episode or bundle' }),
    /** The episode, when the scope is `episode`. */
    episodeId: z
      .string()
      .regex(/^ep_[0-9A-Za-z]{16,32}$/, 'Unknown id')
      .optional(),
    kind: z.enum(DISCOUNT_KINDS, { error: 'kind is percent or fixed' }),
    /** A percentage (1-99) or minor units off. */
    value: z.number().int('value must be a whole number').min(1, 'value must be at least 1'),
    /** Omitted: now. */
    startsAt: instant('startsAt').optional(),
    endsAt: instant('endsAt'),
  })
  .superRefine((d, ctx) => {
    if (d.kind === 'percent' && d.value > 99) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'A percentage must be between 1 and 99' });
    }
    if (d.kind === 'fixed' && d.value > CURRENCIES.INR.max) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'value is too large' });
    }
    if ((d.scope === 'episode') !== (d.episodeId !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['episodeId'],
        message: 'Give episodeId exactly when the scope is episode',
      });
    }
    if (d.startsAt !== undefined && d.endsAt <= d.startsAt) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'endsAt must be after startsAt' });
    }
  });
export type DiscountCreate = z.infer<typeof discountCreateSchema>;

/** The last calendar day (UTC) a discount ending at `endsAt` (exclusive) is in force, e.g. "Dec 12" / "12 déc.". */
export function lastSaleDay(endsAt: number | string, locale: string): string {
  const end = typeof endsAt === 'number' ? endsAt : Date.parse(endsAt);
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(end - 1));
}

/**
 * "€2.99 → €1.99 until Dec 12" (and its French), the one way every surface shows a temporary discount; `spoken` is
 * the same for screen readers, which would otherwise read the arrow.
 */
export function saleText(
  t: Translator,
  listPrice: number,
  sale: { price: number; endsAt: number | string },
  currency: Currency,
): { text: string; spoken: string } {
  const vars = {
    was: t.price(listPrice, currency),
    price: t.price(sale.price, currency),
    date: lastSaleDay(sale.endsAt, t.locale),
  };
  return { text: t.t('sale.label', vars), spoken: t.t('sale.spoken', vars) };
}

/** The discounts in force on a series with its currency, as the worker's public reads carry them (`offers`). */
export interface SeriesOffers {
  currency: Currency;
  discounts: DiscountTerms[];
}

/** Reads an `offers` column (`episodeOffers` in the worker's lib/rules.ts); null when there is none. */
export function parseOffers(json: unknown): SeriesOffers | null {
  if (typeof json !== 'string' || !json) return null;
  const parsed = JSON.parse(json) as { currency?: unknown; discounts?: unknown };
  if (typeof parsed.currency !== 'string' || !Object.hasOwn(CURRENCIES, parsed.currency)) return null;
  const discounts = Array.isArray(parsed.discounts) ? (parsed.discounts as DiscountTerms[]) : [];
  return { currency: parsed.currency as Currency, discounts: discounts.filter((d) => d && typeof d.id === 'string') };
}

/**
 * The temporary sale on an item (an episode by id, or the whole series: `null`) at its list price, as everyone is
 * shown it: the price after the best discount in force and when that discount ends; null when none lowers it.
 */
export function saleOn(
  listPrice: number | null,
  offers: SeriesOffers | null,
  episodeId: string | null,
): { price: number; endsAt: string } | null {
  if (listPrice === null || !offers) return null;
  const covering = offers.discounts.filter((d) => discountCovers(d, episodeId));
  const best = bestPrice(listPrice, covering, offers.currency);
  return best ? { price: best.price, endsAt: new Date(best.offer.endsAt).toISOString() } : null;
}

/** A promo code as creators write it and buyers type it: 3-32 letters, digits, - or _, compared in upper case. */
export const PROMO_CODE_PATTERN = /^[A-Z0-9][A-Z0-9_-]{2,31}$/;

/** The code a buyer typed, as stored (trimmed, upper case), or null when no code could be written so. */
export function normalizePromoCode(typed: string): string | null {
  const code = typed.trim().toUpperCase();
  return PROMO_CODE_PATTERN.test(code) ? code : null;
}

/** The longest a creator's code list is. */
export const MAX_PROMO_CODES = 200;

/** `POST /v1/me/promo-codes`: a code for one series (`seriesId`) or all the creator's series (omitted or null). */
export const promoCodeCreateSchema = z
  .strictObject({
    code: z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .pipe(z.string().regex(PROMO_CODE_PATTERN, 'A code is 3-32 letters, digits, - or _')),
    seriesId: z
      .string()
      .regex(/^ser_[0-9A-Za-z]{16,32}$/, 'Unknown id')
      .nullable()
      .optional(),
    kind: z.enum(DISCOUNT_KINDS, { error: 'kind is percent or fixed' }),
    value: z.number().int('value must be a whole number').min(1, 'value must be at least 1'),
    /** Omitted or null: the code never expires. */
    expiresAt: instant('expiresAt').nullable().optional(),
    /** Omitted or null: no maximum. */
    maxRedemptions: z.number().int().min(1).max(1_000_000).nullable().optional(),
  })
  .superRefine((d, ctx) => {
    if (d.kind === 'percent' && d.value > 99) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'A percentage must be between 1 and 99' });
    }
    if (d.kind === 'fixed' && d.value > CURRENCIES.INR.max) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'value is too large' });
    }
  });
export type PromoCodeCreate = z.infer<typeof promoCodeCreateSchema>;

/** `PATCH /v1/me/promo-codes/:id`: pause a code (checkouts refuse it with promo_code_paused) or resume it. */
export const promoCodePatchSchema = z.strictObject({ paused: z.boolean({ error: 'paused is true or false' }) });
