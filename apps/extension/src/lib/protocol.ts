import { z } from 'zod';
import type { AnchorSet, Locale } from '@series/core';
import { checkApiUrl } from './api-url';

// zod parses with its interpreter, never with generated code: stores' reviewers reject eval, and the build
// removes zod's Function constructor altogether (build/store-safe.ts).
z.config({ jitless: true });
import {
  emailSchema,
  episodeIdSchema,
  handleSchema,
  LOCALES,
  loginSchema,
  passwordSchema,
  promoCodeInputSchema,
  seriesIdSchema,
  videoIdSchema,
} from '@series/core';

/**
 * The browser extension's message protocol. Only the extension's background talks to the API; content scripts
 * (which live in the video site's pages) and the extension's own pages (popup, player) ask it by message.
 * The background parses every message with these schemas and answers with {@link ExtensionResult}.
 * Content scripts import only its types: the schemas (and zod) stay out of their bundle.
 */

/** A page of the video site the content script recognised from its URL. */
export const sitePageSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('profile'), handle: handleSchema }),
  z.strictObject({ kind: z.literal('video'), handle: handleSchema, videoId: videoIdSchema }),
]);

/** A feed item or search card as the content script read it: its author and, when it shows one, its video. */
export const listItemSchema = z.strictObject({ handle: handleSchema, videoId: videoIdSchema.nullable() });

/** What to buy: one episode, or the whole series ("buy all"). */
export const unlockItemSchema = z.union([
  z.strictObject({ episodeId: episodeIdSchema }),
  z.strictObject({ seriesId: seriesIdSchema }),
]);

/** The extension's player page: a series, optionally opened at one episode. */
export const playerTargetSchema = z.strictObject({
  seriesId: seriesIdSchema,
  episodeId: episodeIdSchema.optional(),
});

/**
 * The API address. `https` anywhere; plain `http` only on this machine (the local worker), since the session
 * token travels with every request.
 */
export const apiUrlSchema = z.string().transform((raw, ctx) => {
  const checked = checkApiUrl(raw);
  if (checked.ok) return checked.url;
  // The message is a code: the popup shows its own text for each (extension.popup.apiUrl.*).
  ctx.addIssue({ code: 'custom', message: checked.code });
  return z.NEVER;
});

const contentMessages = [
  /** The UI language in force and its `extension.*` messages. */
  z.strictObject({ type: z.literal('ui') }),
  /** Overlay data for a page: looked up by hash prefix, filtered in the background. */
  z.strictObject({ type: z.literal('page'), page: sitePageSchema }),
  /** The page anchors in force (served by the API, or null for the built-in set). */
  z.strictObject({ type: z.literal('anchors') }),
  /** Overlay data for the feed item in view: its episode if the video is linked, else its creator's series. */
  z.strictObject({ type: z.literal('feedItem'), item: listItemSchema }),
  /** Items about to scroll into view: their lookups are fetched now so their buttons show at once. */
  z.strictObject({ type: z.literal('prefetch'), items: z.array(listItemSchema).min(1).max(10) }),
  /** Search result cards near the viewport: which show a video linked to an episode on sale. */
  z.strictObject({
    type: z.literal('badges'),
    items: z
      .array(listItemSchema.extend({ videoId: videoIdSchema }))
      .min(1)
      .max(30),
  }),
  /** Start buying: signs in first (popup) if needed, then opens checkout in a tab; with the promo code typed. */
  z.strictObject({ type: z.literal('unlock'), item: unlockItemSchema, promoCode: promoCodeInputSchema.optional() }),
  /** Where an unlock stands (polled while checkout is open). */
  z.strictObject({ type: z.literal('checkoutState'), item: unlockItemSchema }),
  /** Opens the popup to sign in (e.g. "Bought it already? Sign in"). */
  z.strictObject({ type: z.literal('openSignIn') }),
  /** Opens the player page. */
  z.strictObject({ type: z.literal('openPlayer'), target: playerTargetSchema }),
  /** Unlock buttons shown, for the creators' funnel (reported anonymously, batched). */
  z.strictObject({
    type: z.literal('shown'),
    episodeIds: z.array(episodeIdSchema).min(1).max(50),
  }),
] as const;

/** Messages a content script may send. */
export const contentMessageSchema = z.discriminatedUnion('type', [...contentMessages]);

/** Messages the extension's own pages (popup, player) may send: everything a content script may, and more. */
export const extensionPageMessageSchema = z.discriminatedUnion('type', [
  ...contentMessages,
  z.strictObject({ type: z.literal('session') }),
  z.strictObject({ type: z.literal('signIn'), email: emailSchema, password: loginSchema.shape.password }),
  z.strictObject({ type: z.literal('signUp'), email: emailSchema, password: passwordSchema }),
  z.strictObject({ type: z.literal('signOut') }),
  z.strictObject({ type: z.literal('library') }),
  z.strictObject({ type: z.literal('setApiUrl'), url: apiUrlSchema }),
  /** The viewer's language choice in the popup; null follows the browser's. */
  z.strictObject({ type: z.literal('setLocale'), locale: z.enum(LOCALES).nullable() }),
  z.strictObject({ type: z.literal('series'), seriesId: seriesIdSchema }),
  z.strictObject({ type: z.literal('access'), episodeId: episodeIdSchema }),
]);

export type SitePage = z.infer<typeof sitePageSchema>;
export type ListItem = z.infer<typeof listItemSchema>;
export type UnlockItem = z.infer<typeof unlockItemSchema>;
export type PlayerTarget = z.infer<typeof playerTargetSchema>;
export type ContentMessage = z.infer<typeof contentMessageSchema>;
export type ExtensionMessage = z.infer<typeof extensionPageMessageSchema>;
/** What senders write (before the schemas' transforms, e.g. `@Handle` → `handle`). */
export type ExtensionMessageInput = z.input<typeof extensionPageMessageSchema>;

// ---- Answers -------------------------------------------------------------------------------------------

/**
 * Why a request could not be answered, as the UI words it:
 * `api_unreachable` (network), `signed_out`, `not_released`, `not_on_sale` (creator suspended or series
 * withdrawn), `payment_required`, `invalid_message`, `invalid_request` (bad input, e.g. a wrong password),
 * `forbidden` (a content script asked for a page-only message), `extension_updated` (reloaded under the page),
 * `api_error` (anything else the API said). Pages show their own translated text for the code (lib/texts.ts);
 * `message` is for developers.
 */
export type ExtensionErrorCode =
  | 'api_unreachable'
  | 'signed_out'
  | 'not_released'
  | 'not_on_sale'
  | 'payment_required'
  | 'invalid_message'
  | 'invalid_request'
  | 'forbidden'
  | 'extension_updated'
  | 'api_error';

export interface ExtensionError {
  code: ExtensionErrorCode;
  message: string;
  /** The API's own error code, when it answered. */
  apiCode?: string;
  /** The input field the API refused (its first issue's path), e.g. `password`. */
  field?: string;
  /** The address that could not be reached (`api_unreachable`), or needs a permission. */
  url?: string;
  releaseAt?: string;
}

export type ExtensionResult<T> = { ok: true; data: T } | { ok: false; error: ExtensionError };

export interface CreatorRef {
  handle: string;
  displayName: string;
  /** How the handle was proven the creator's (the lookup's `verified`): TikTok, a bio code; null or absent: unverified. */
  verified?: 'tiktok' | 'bio_code' | null;
}

/** A series as the profile shelf shows it; prices already formatted in the series' currency. */
export interface ShelfSeries {
  id: string;
  title: string;
  coverUrl: string | null;
  episodeCount: number;
  freeEpisodeCount: number;
  /** "$1.99" or "$1.99–$2.99"; null when every episode is free. */
  priceRange: string | null;
  /** "Buy all" price for this viewer; null when sold per episode only. */
  bundlePrice: string | null;
  /** The viewer owns episodes of it: the price completes the series ("Complete the series — $3.00"). */
  bundleCompletes: boolean;
  ownedAll: boolean;
}

/** Whether the viewer can play an episode now. */
export type EpisodeAccess = 'free' | 'owned' | 'locked';

export interface EpisodeView {
  id: string;
  number: number;
  title: string;
  durationSeconds: number;
  access: EpisodeAccess;
  /** Formatted price; null for a free episode. */
  price: string | null;
  released: boolean;
  releaseAt: string | null;
  hasVideo: boolean;
}

/** Where an unlock stands. `awaiting_sign_in`: the popup is open for sign-in; `open`: checkout tab open. */
export type CheckoutState =
  | { phase: 'none' }
  | { phase: 'awaiting_sign_in' }
  | { phase: 'open'; purchaseId: string }
  /** Bought (purchaseId null: it turned out to be owned or free already). */
  | { phase: 'paid'; purchaseId: string | null }
  | { phase: 'cancelled'; purchaseId: string }
  | { phase: 'expired'; purchaseId: string }
  | { phase: 'failed'; error: ExtensionError };

export interface ProfileOverlay {
  kind: 'profile';
  handle: string;
  /** Null when the handle has no approved creator with series on sale. */
  creator: CreatorRef | null;
  shelf: ShelfSeries[];
  /** Series this viewer bought from this handle while its creator has nothing on sale (e.g. suspended). */
  offSale: { seriesId: string; title: string }[];
  signedIn: boolean;
}

/** The episode a video is linked to, with its series and where an unlock of it stands. */
export interface EpisodeMatch {
  creator: CreatorRef;
  series: { id: string; title: string; episodeCount: number; bundlePrice: string | null; bundleCompletes: boolean };
  episode: EpisodeView;
  checkout: CheckoutState;
}

export interface VideoOverlay {
  kind: 'video';
  videoId: string;
  /** Null when the video is not linked to an episode on sale. */
  match: EpisodeMatch | null;
  signedIn: boolean;
}

export type PageOverlay = ProfileOverlay | VideoOverlay;

/** A creator with series on sale, for a feed item whose own video is not an episode. */
export interface FeedCreator extends CreatorRef {
  series: { id: string; title: string; episodeCount: number }[];
}

export interface FeedOverlay {
  kind: 'feed';
  handle: string;
  videoId: string | null;
  /** The item's video is an episode on sale. */
  match: EpisodeMatch | null;
  /** Otherwise, its creator when they sell series; null when neither (nothing is shown). */
  creator: FeedCreator | null;
  signedIn: boolean;
}

/** What a search card of a linked video shows. */
export interface SearchBadge {
  videoId: string;
  episodeNumber: number;
  seriesTitle: string;
  access: EpisodeAccess;
  /** Formatted price; null when free. */
  price: string | null;
  /** Its video is uploaded: until then it is "coming soon" and not sold. */
  ready: boolean;
}

/** The language in force: the popup's choice, else the browser's; and that language's extension messages. */
export interface UiInfo {
  locale: Locale;
  choice: Locale | null;
  browserLocale: Locale;
  messages: Record<string, string>;
}

export interface SessionInfo {
  signedIn: boolean;
  email: string | null;
  apiUrl: string;
  defaultApiUrl: string;
  /** An unlock waiting for sign-in (the popup continues it once signed in). */
  pendingUnlock: UnlockItem | null;
  /** Set by sign-in when it continued a pending unlock: where that unlock now stands. */
  continued: CheckoutState | null;
}

export interface LibrarySeries {
  seriesId: string;
  title: string;
  coverUrl: string | null;
  creator: CreatorRef;
  /** Bought as a whole ("buy all"). */
  wholeSeries: boolean;
  episodes: { id: string; number: number | null; title: string | null }[];
}

export interface SeriesView {
  id: string;
  title: string;
  description: string;
  coverUrl: string | null;
  creator: CreatorRef;
  bundlePrice: string | null;
  bundleCompletes: boolean;
  ownedAll: boolean;
  /** `creator_suspended`: bought episodes still play; nothing can be bought. */
  availability: 'on_sale' | 'creator_suspended' | 'withdrawn';
  episodes: EpisodeView[];
}

export interface PlaybackInfo {
  episodeId: string;
  playbackUrl: string;
  expiresAt: string;
  mediaReady: boolean;
}

/** The answer type of each message. */
export interface ExtensionAnswers {
  ui: UiInfo;
  setLocale: UiInfo;
  page: PageOverlay;
  anchors: { version: number | null; anchors: AnchorSet | null };
  feedItem: FeedOverlay;
  prefetch: { warmed: number };
  badges: { badges: (SearchBadge | null)[] };
  unlock: CheckoutState;
  checkoutState: CheckoutState;
  openPlayer: { opened: true };
  openSignIn: { opened: true };
  shown: { queued: number };
  session: SessionInfo;
  signIn: SessionInfo;
  signUp: SessionInfo;
  signOut: SessionInfo;
  library: { series: LibrarySeries[] };
  setApiUrl: SessionInfo;
  series: SeriesView;
  access: PlaybackInfo;
}
