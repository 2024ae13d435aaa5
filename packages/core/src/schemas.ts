import { z } from 'zod';
import { CURRENCY_CODES, checkPrice } from './currency.js';
import {
  MAX_COMMISSION_BPS,
  MAX_DESCRIPTION_LENGTH,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_EPISODE_SECONDS,
  MAX_MEDIA_BYTES,
  MAX_TITLE_LENGTH,
} from './limits.js';
import { HANDLE_PATTERN, hasTrailingPeriod, VIDEO_ID_PATTERN } from './site.js';
import { LINK, MARKUP, MAX_GIFT_LINES, MAX_GIFT_MESSAGE } from './gift.js';

// Control characters (C0, DEL and C1) make titles render unpredictably on the video site and in CSV exports.
const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f-\u009f]*$/;
const NO_CONTROL_CHARS_EXCEPT_NEWLINES = /^[^\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]*$/;

const singleLine = (label: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max} characters`)
    .regex(NO_CONTROL_CHARS, `${label} must not contain control characters`);

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'Email must be at most 254 characters')
  .pipe(z.email('Enter a valid email address'));

export const passwordSchema = z
  .string()
  .min(10, 'Password must be at least 10 characters')
  .max(200, 'Password must be at most 200 characters');

export const credentialsSchema = z.strictObject({ email: emailSchema, password: passwordSchema });
export const loginSchema = z.strictObject({ email: emailSchema, password: z.string().min(1).max(200) });

/** A video-site handle: letters, digits, `_` and `.`, 2..24 characters, not ending in `.`; stored lower-case. */
export const handleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s) => s.replace(/^@/, ''))
  .pipe(
    z
      .string()
      .regex(HANDLE_PATTERN, 'Handle must be 2-24 characters: letters, digits, underscores and periods')
      .refine((s) => !hasTrailingPeriod(s), 'Handle must not end with a period'),
  );

/** A video id on the video site (`/@handle/video/<id>`): decimal digits. */
export const videoIdSchema = z.string().regex(VIDEO_ID_PATTERN, 'Video id must be the numeric id from the video URL');

export const currencySchema = z.enum(CURRENCY_CODES, {
  error: `Currency must be one of ${CURRENCY_CODES.join(', ')}`,
});

/** Integer minor units; the per-currency bounds are checked where the currency is known ({@link checkPrice}). */
export const amountSchema = z
  .number({ error: 'Price must be a number of minor units (cents)' })
  .int('Price must be a whole number of minor units (cents)')
  .nonnegative('Price must not be negative')
  .max(Number.MAX_SAFE_INTEGER);

export const durationSchema = z
  .number({ error: 'Duration must be a number of seconds' })
  .int('Duration must be a whole number of seconds')
  .min(1, 'Duration must be at least 1 second')
  .max(MAX_EPISODE_SECONDS, `An episode lasts at most ${MAX_EPISODE_SECONDS / 60} minutes`);

export const coverUrlSchema = z
  .url({ protocol: /^https$/, error: 'Cover must be an https URL' })
  .max(2048, 'Cover URL is too long');

export const creatorClaimSchema = z.strictObject({
  handle: handleSchema,
  displayName: singleLine('Display name', MAX_DISPLAY_NAME_LENGTH),
});

const seriesFields = {
  title: singleLine('Title', MAX_TITLE_LENGTH),
  description: z
    .string()
    .trim()
    .max(MAX_DESCRIPTION_LENGTH, `Description must be at most ${MAX_DESCRIPTION_LENGTH} characters`)
    .regex(NO_CONTROL_CHARS_EXCEPT_NEWLINES, 'Description must not contain control characters'),
  coverUrl: coverUrlSchema.nullable(),
  /** "Buy all": one price for the whole series, covering episodes added later. */
  bundlePrice: amountSchema.nullable(),
};

export const seriesCreateSchema = z
  .strictObject({
    title: seriesFields.title,
    description: seriesFields.description.default(''),
    coverUrl: seriesFields.coverUrl.default(null),
    currency: currencySchema,
    bundlePrice: seriesFields.bundlePrice.default(null),
  })
  .superRefine((s, ctx) => {
    const problem = s.bundlePrice === null ? null : checkPrice(s.bundlePrice, s.currency);
    if (problem) ctx.addIssue({ code: 'custom', path: ['bundlePrice'], message: problem });
  });

/** The currency is fixed at creation: every episode price and past sale is in it. */
export const seriesPatchSchema = z
  .strictObject({
    title: seriesFields.title.optional(),
    description: seriesFields.description.optional(),
    coverUrl: seriesFields.coverUrl.optional(),
    bundlePrice: seriesFields.bundlePrice.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'Nothing to update');

const episodeFields = {
  title: singleLine('Title', MAX_TITLE_LENGTH),
  durationSeconds: durationSchema,
  /** Minor units in the series currency; `null` makes the episode free (a trailer). */
  price: amountSchema.nullable(),
  videoId: videoIdSchema.nullable(),
  /** Before this instant the episode is announced but cannot be watched. */
  releaseAt: z.iso.datetime({ offset: true, error: 'releaseAt must be an ISO 8601 date-time' }).nullable(),
};

export const episodeCreateSchema = z.strictObject({
  title: episodeFields.title,
  durationSeconds: episodeFields.durationSeconds,
  price: episodeFields.price,
  videoId: episodeFields.videoId.optional().default(null),
  releaseAt: episodeFields.releaseAt.optional().default(null),
});

export const episodePatchSchema = z
  .strictObject({
    title: episodeFields.title.optional(),
    durationSeconds: episodeFields.durationSeconds.optional(),
    price: episodeFields.price.optional(),
    videoId: episodeFields.videoId.optional(),
    releaseAt: episodeFields.releaseAt.optional(),
    /** 1-based place in the series; the others shift to make room. */
    number: z.number().int().min(1).max(10_000).optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'Nothing to update');

const idSchema = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9A-Za-z]{16,32}$`), 'Unknown id');

export const seriesIdSchema = idSchema('ser');
export const episodeIdSchema = idSchema('ep');
export const purchaseIdSchema = idSchema('pur');

// URL exists in every runtime that uses core (workerd, browsers, Node); core compiles without DOM types.
const runtimeUrl = globalThis as unknown as { URL: new (input: string, base: string) => { origin: string } };

/**
 * Where a storefront checkout sends the buyer back: a path on our own origin (never another site, never a
 * protocol-relative `//host`), so a checkout link cannot be turned into an open redirect.
 */
export const returnToSchema = z
  .string()
  .max(512, 'returnTo must be at most 512 characters')
  .regex(/^\/(?![\/\\])[^\s\\#\u0000-\u001f\u007f]*$/, 'returnTo must be a path on this site, such as /@handle/series')
  .refine((path) => {
    try {
      return new runtimeUrl.URL(path, 'https://origin.invalid').origin === 'https://origin.invalid';
    } catch {
      return false;
    }
  }, 'returnTo must be a path on this site, such as /@handle/series');

/** Where a storefront visitor came from (`?src=bio`): a short lower-case word chosen by the creator. */
export const sourceSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,23}$/,
    'source must be a short lower-case word (letters, digits, - or _), at most 24 characters',
  );

/** A promo code as the buyer typed it (any case): the worker normalises it and says whether it applies. */
export const promoCodeInputSchema = z.string().max(64, 'promoCode must be at most 64 characters');

/**
 * A checkout for someone else: the recipient's address, where the claim link goes, and an optional message (plain
 * text without markup nor links, at most 500 characters and 10 lines).
 */
export const giftSchema = z.strictObject({
  email: emailSchema,
  message: z
    .string({ error: 'message must be text' })
    .trim()
    .max(MAX_GIFT_MESSAGE, `message must be at most ${MAX_GIFT_MESSAGE} characters`)
    .regex(NO_CONTROL_CHARS_EXCEPT_NEWLINES, 'message must not contain control characters')
    .refine((s) => s.split('\n').length <= MAX_GIFT_LINES, `message must be at most ${MAX_GIFT_LINES} lines`)
    .refine((s) => !MARKUP.test(s), 'message must be plain text, without HTML markup')
    .refine((s) => !LINK.test(s), 'message must not contain links')
    .optional(),
});
export type GiftInput = z.infer<typeof giftSchema>;

/** A gift's claim token as its link carries it: 32 random bytes, base64url. */
export const giftTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'This is not a gift link');

const checkoutExtras = {
  returnTo: returnToSchema.optional(),
  source: sourceSchema.optional(),
  /**
   * The price the buyer was shown, in minor units: when the item's price differs now (a discount began or ended),
   * checkout answers 409 `price_changed` with the new price instead of charging it, so the price never changes
   * silently between the page and the payment.
   */
  expectedAmount: amountSchema.optional(),
  /** A creator's promo code, typed in any case; an unknown, expired, paused, used up or foreign one is a 4xx. */
  promoCode: promoCodeInputSchema.optional(),
  /** Bought for someone else (`giftSchema`): paid by the buyer, owned by the recipient once they claim it. */
  gift: giftSchema.optional(),
};

export const checkoutSchema = z.union(
  [
    z.strictObject({ episodeId: episodeIdSchema, ...checkoutExtras }),
    z.strictObject({ seriesId: seriesIdSchema, ...checkoutExtras }),
  ],
  { error: 'Give either episodeId or seriesId' },
);

/** Clients send a fresh random key per purchase attempt and reuse it on retries. */
export const idempotencyKeySchema = z
  .string({ error: 'Idempotency-Key header is required' })
  .regex(/^[\x21-\x7e]{8,128}$/, 'Idempotency-Key must be 8-128 visible ASCII characters');

export const commissionSchema = z.strictObject({
  bps: z
    .number()
    .int('Commission must be a whole number of basis points')
    .min(0, 'Commission must not be negative')
    .max(MAX_COMMISSION_BPS, 'Commission must be at most 10000 basis points (100%)'),
});

const day = z.iso.date('Dates are YYYY-MM-DD (UTC)');

/** Inclusive UTC date range; `from` omitted means "all time", `to` omitted means today. */
export const analyticsQuerySchema = z
  .strictObject({
    from: day.optional(),
    to: day.optional(),
    currency: currencySchema.optional(),
    seriesId: seriesIdSchema.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'] });

/**
 * A creator's rollout: a claim is pending until an admin approves it; approved creators sell; suspended ones are
 * hidden. A claim can also end: `rejected` by an admin or `expired` (not approved within CLAIM_EXPIRY_DAYS), and
 * its handle is then free for someone else; or `displaced`: the handle's owner proved it theirs by connecting
 * TikTok, and an unverified claim of it ends so.
 */
export const creatorStatusSchema = z.enum(['pending', 'approved', 'suspended', 'rejected', 'expired', 'displaced']);

export type Credentials = z.infer<typeof credentialsSchema>;
export type CreatorClaim = z.infer<typeof creatorClaimSchema>;
export type SeriesCreate = z.infer<typeof seriesCreateSchema>;
export type SeriesPatch = z.infer<typeof seriesPatchSchema>;
export type EpisodeCreate = z.infer<typeof episodeCreateSchema>;
export type EpisodePatch = z.infer<typeof episodePatchSchema>;
export type CheckoutRequest = z.infer<typeof checkoutSchema>;
export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;
export type CreatorStatus = z.infer<typeof creatorStatusSchema>;

export const uploadCreateSchema = z.strictObject({
  /** The file's exact size in bytes; parts are checked against it. */
  size: z
    .number({ error: 'size must be the file size in bytes' })
    .int('size must be a whole number of bytes')
    .min(1, 'The file is empty')
    .max(MAX_MEDIA_BYTES, `A video file may be at most ${MAX_MEDIA_BYTES / 1024 ** 3} GiB`),
});
export const uploadIdSchema = idSchema('upl');
export type UploadCreate = z.infer<typeof uploadCreateSchema>;

/** Episodes whose unlock button a viewer was shown (the extension batches them). */
export const viewsSchema = z.strictObject({
  episodeIds: z
    .array(episodeIdSchema)
    .min(1, 'Give at least one episode id')
    .max(50, 'At most 50 episode ids per report')
    .refine((ids) => new Set(ids).size === ids.length, 'Episode ids must be distinct'),
});
export type ViewsReport = z.infer<typeof viewsSchema>;

/** A storefront page load, for the per-source funnel: which creator (and series), and the link's source. */
export const storefrontViewSchema = z.strictObject({
  handle: handleSchema,
  seriesId: seriesIdSchema.optional(),
  source: sourceSchema.optional(),
});
export type StorefrontView = z.infer<typeof storefrontViewSchema>;

/**
 * The admin's settings for verified creators (PUT /v1/admin/verification): the criteria shown beside each claim,
 * automatic approval of verified claims that meet them, and whether selling needs a verified handle. Any subset;
 * what is left out stays as it is.
 */
export const verificationSettingsSchema = z
  .object({
    minFollowers: z.number().int().min(0).max(1_000_000_000),
    minVideos: z.number().int().min(0).max(1_000_000),
    autoApprove: z.boolean(),
    requireVerification: z.boolean(),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one setting');
export type VerificationSettingsInput = z.infer<typeof verificationSettingsSchema>;

/** A one-time bio code as the worker gives it out: SERIES- and 8 letters or digits (no look-alikes). */
export const bioCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^SERIES-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{8}$/, 'A bio code looks like SERIES-7KQ4M2XP');

/** The admin confirms the code they saw in the creator's bio. */
export const bioCodeConfirmSchema = z.object({ code: bioCodeSchema }).strict();

/**
 * An account made with "Continue with TikTok" adds an email address (for receipts; asked for at the first purchase)
 * and, optionally, a password to sign in with it (POST /v1/me/credentials).
 */
export const addCredentialsSchema = z.strictObject({ email: emailSchema, password: passwordSchema.optional() });

/** The longest text of a review, a creator's reply to one, or a report. */
export const MAX_REVIEW_TEXT = 2000;

const plainText = (label: string) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .max(MAX_REVIEW_TEXT, `${label} must be at most ${MAX_REVIEW_TEXT} characters`)
    .regex(NO_CONTROL_CHARS_EXCEPT_NEWLINES, `${label} must not contain control characters`)
    .refine((s) => !MARKUP.test(s), `${label} must be plain text, without HTML markup`);

/** A buyer's rating of a series: 1 to 5 stars, with optional text (plain, at most 2,000 characters). */
export const reviewSchema = z.strictObject({
  stars: z
    .number({ error: 'stars must be a whole number from 1 to 5' })
    .int('stars must be a whole number from 1 to 5')
    .min(1, 'stars must be a whole number from 1 to 5')
    .max(5, 'stars must be a whole number from 1 to 5'),
  text: plainText('Text').default(''),
});
export type ReviewInput = z.infer<typeof reviewSchema>;

/** The creator's one reply to a review of their series. */
export const reviewReplySchema = z.strictObject({
  text: plainText('Reply').pipe(z.string().min(1, 'Reply is required')),
});

export const reviewIdSchema = idSchema('rev');

/** Why a viewer reports a series, an episode or a review. */
export const REPORT_REASONS = ['spam', 'misleading', 'stolen', 'sexual', 'violent', 'hateful', 'other'] as const;
export const reportReasonSchema = z.enum(REPORT_REASONS, {
  error: `reason must be one of ${REPORT_REASONS.join(', ')}`,
});
export type ReportReason = z.infer<typeof reportReasonSchema>;

/** A viewer's report: what (a series, an episode or a review), why, and in their words (at most 2,000 characters). */
export const reportSchema = z.strictObject({
  target: z.discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('series'), id: seriesIdSchema }),
      z.strictObject({ kind: z.literal('episode'), id: episodeIdSchema }),
      z.strictObject({ kind: z.literal('review'), id: reviewIdSchema }),
    ],
    { error: 'target must be { kind: series | episode | review, id }' },
  ),
  reason: reportReasonSchema,
  text: plainText('Text').default(''),
});
export type ReportInput = z.infer<typeof reportSchema>;

/** The admins' platform setting: series reviewed before they go live (and episodes added to live ones). */
export const reviewSettingSchema = z.strictObject({
  reviewRequired: z.boolean({ error: 'reviewRequired must be true or false' }),
});

/** Why an admin rejected a submission or took a series down: what its creator reads. */
export const moderationReasonSchema = z.strictObject({
  reason: plainText('Reason').pipe(z.string().min(1, 'Reason is required')),
});

/** What an admin does with a report: nothing wrong (dismiss), remove the reported review, or take the series down. */
export const reportResolutionSchema = z.strictObject({
  action: z.enum(['dismiss', 'remove_review', 'take_down'], {
    error: 'action must be dismiss, remove_review or take_down',
  }),
  note: plainText('Note').default(''),
});

export const reportIdSchema = idSchema('rpt');
